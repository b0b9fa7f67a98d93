import { SECRET_RULES } from './rules.js';

export interface RedactionResult {
  text: string;
  /** Secrets removed, by rule name (`url_password`, `slack_token`, `email`...); only rules that fired. */
  counts: Record<string, number>;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// One case-insensitive literal scan per rule decides whether the rule runs at all: most pastes
// hold no secret, and the literal scan is much cheaper than the rule.
const RULES = SECRET_RULES.map((rule) => ({ rule, hint: new RegExp(rule.hints.map(escapeRegExp).join('|'), 'i') }));

/**
 * Removes every secret and piece of user data the rules know (connection-string passwords,
 * tokens and keys, JWTs, auth headers, private keys, e-mail addresses, SQLAlchemy
 * `[parameters: ...]` trailers, pydantic `input_value=`), keeping the names a diagnosis needs.
 * Irreversible, idempotent, linear in the length of the text.
 */
export function redactSecrets(text: string): RedactionResult {
  const counts: Record<string, number> = {};
  let out = text;
  for (const { rule, hint } of RULES) {
    // Tested on the text as the earlier rules left it: their markers can be hints
    // (`<redacted:aws-key>` for the secret that stood beside the key).
    if (!hint.test(out)) continue;
    const result = rule.apply(out);
    if (result.count > 0) {
      out = result.text;
      counts[rule.name] = (counts[rule.name] ?? 0) + result.count;
    }
  }
  return { text: out, counts };
}
