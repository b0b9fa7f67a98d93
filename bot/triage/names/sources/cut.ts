import type { Role } from '../roles.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// A paste cut inside the message's last words (a search excerpt, a log line clipped at the terminal's width): Indico's
// `psycopg2.errors.UndefinedColumn: column affiliations_1.alt_names does not e`. The names before the cut are whole
// when the wording's next word follows them; a name the cut runs into (`column x.alt_na`) is never read.
const PARTIAL_EXIST = String.raw`does not(?: e(?:x(?:i(?:st?)?)?)?)?[ \t]*$`;
const CUT_WORDINGS: { re: RegExp; roles: Role[] }[] = [
  { re: new RegExp(String.raw`\bcolumn "([^"\n]{1,63})" of relation "(?:\w{1,63}\.)?([^"\n]{1,126})" ${PARTIAL_EXIST}`, 'm'), roles: ['column', 'table'] },
  { re: new RegExp(String.raw`\bcolumn (\w{1,63})\.(\w{1,63}) ${PARTIAL_EXIST}`, 'm'), roles: ['table', 'column'] },
  { re: new RegExp(String.raw`\bcolumn "([^"\n]{1,63})" ${PARTIAL_EXIST}`, 'm'), roles: ['column'] },
  { re: new RegExp(String.raw`\brelation "(?:\w{1,63}\.)?([^"\n]{1,126})" ${PARTIAL_EXIST}`, 'm'), roles: ['table'] },
];

/** The database wordings of a message the paste cut after its names, for the roles nothing else named. */
export const cutMessageSource: NameSource = {
  id: 'message',
  describe: 'PostgreSQL wordings cut after their names (`column t.c does not e`)',
  find(ctx: NameContext, out: NameFinding[]): void {
    const texts = [...ctx.ordered.map((r) => r.message.slice(0, 4000)), ctx.text];
    if (!texts.some((t) => t.includes(' does not'))) return;
    const found = new Set(out.filter((f) => f.source === 'message').map((f) => f.role));
    for (const w of CUT_WORDINGS) {
      const m = texts.map((t) => (t.includes(' does not') ? w.re.exec(t) : null)).find((x) => x);
      if (!m || w.roles.some((role) => found.has(role))) continue;
      const group = ctx.group();
      w.roles.forEach((role, i) => { if (m[i + 1]) out.push({ role, value: m[i + 1] ?? '', source: 'message', confidence: 0.85, group, evidence: m[0].slice(0, 160) }); });
      for (const role of w.roles) found.add(role);
    }
  },
  examples: [],
};
