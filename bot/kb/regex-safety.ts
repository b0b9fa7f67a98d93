/**
 * A fast structural check for backtracking blow-ups in the catalogue's regexes, run by every
 * `knowledge check` (milliseconds for the whole catalogue). It rejects the shapes that make a
 * backtracking engine exponential or quadratic on hostile text:
 *
 * - a repeated group that repeats or alternates inside (`(a+)+`, `(\w+\s?)*`, `(a|ab)*`):
 *   exponential, unless every iteration must contain a separator character that nothing
 *   else in the group can match (`(?:\w{1,80}\.){0,10}`, `(?:, \w+){0,8}`): then the
 *   iterations cannot be split two ways and the search stays linear;
 * - an unbounded repeat of a wide atom (`.*`, `[^']+`, `\S+`): quadratic when searched on long
 *   text; write `.{0,200}` / `[^']{1,200}`;
 * - two unbounded repeats in a row over overlapping characters (`\w+\d+`): quadratic.
 *
 * recheck's automaton analysis is exact but takes seconds per pattern; it runs with
 * `knowledge check --deep`.
 */

interface Atom {
  min: number;
  /** 1 when not quantified, Infinity when unbounded. */
  max: number;
  wide: boolean;
  isGroup: boolean;
  /** A group whose body repeats or alternates. */
  complex: boolean;
  /** Probe characters the atom can match; null when unknown (assume it overlaps anything). */
  probes: Set<string> | null;
  text: string;
}

interface Seq {
  end: number;
  repeats: boolean;
  alternates: boolean;
  atoms: Atom[];
  probes: Set<string> | null;
}

// Characters standing for every class an atom can match, to tell whether two atoms overlap.
const PROBES = [...'aZ0_ \t\n.-\'"/:,;()[]<>=@#$%&*+?!|\\{}~^`', '\u00e9', '\u3042'];
const WIDE_ESCAPES = new Set(['S', 'D', 'W']);

function probeSet(atomSource: string, wide: boolean): Set<string> | null {
  if (wide) return new Set(PROBES);
  try {
    const re = new RegExp(`^(?:${atomSource})$`);
    return new Set(PROBES.filter((c) => re.test(c)));
  } catch {
    return null;
  }
}

function disjoint(a: Set<string> | null, b: Set<string> | null): boolean {
  if (!a || !b) return false;
  for (const c of a) if (b.has(c)) return false;
  return true;
}

function union(sets: (Set<string> | null)[]): Set<string> | null {
  const out = new Set<string>();
  for (const s of sets) {
    if (!s) return null;
    for (const c of s) out.add(c);
  }
  return out;
}

function readQuantifier(src: string, i: number): { min: number; max: number; length: number } {
  const ch = src[i];
  let q = { min: 1, max: 1, length: 0 };
  if (ch === '*') q = { min: 0, max: Infinity, length: 1 };
  else if (ch === '+') q = { min: 1, max: Infinity, length: 1 };
  else if (ch === '?') q = { min: 0, max: 1, length: 1 };
  else if (ch === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
    if (m) q = { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] ? Number(m[3]) : Infinity, length: m[0].length };
  }
  if (q.length && src[i + q.length] === '?') q.length++;
  return q;
}

/** True when every iteration of the group holds a mandatory character nothing else in it matches. */
function hasUnambiguousSeparator(body: Seq): boolean {
  if (body.alternates) return false;
  return body.atoms.some((sep) => !sep.isGroup && sep.min >= 1 && sep.max === 1 && sep.probes && sep.probes.size > 0 && body.atoms.every((other) => other === sep || disjoint(sep.probes, other.probes)));
}

/** The problems of one regex source; empty when it passes. */
export function structuralProblems(source: string): string[] {
  const src = source.startsWith('(?i)') ? source.slice(4) : source;
  const problems: string[] = [];

  const parseSeq = (start: number): Seq => {
    let i = start;
    let repeats = false;
    let alternates = false;
    const atoms: Atom[] = [];
    let prev: Atom | null = null;
    while (i < src.length && src[i] !== ')') {
      const ch = src[i] as string;
      let atom: Atom;
      if (ch === '|') { alternates = true; prev = null; i++; continue; }
      if (ch === '^' || ch === '$') { prev = null; i++; continue; }
      let body: Seq | null = null;
      if (ch === '(') {
        let j = i + 1;
        if (src[j] === '?') {
          if (src[j + 1] === '<' && src[j + 2] !== '=' && src[j + 2] !== '!') j = src.indexOf('>', j) + 1;
          else j += src[j + 1] === '<' ? 3 : 2;
        }
        body = parseSeq(j);
        repeats ||= body.repeats;
        atom = { min: 1, max: 1, wide: false, isGroup: true, complex: body.repeats || body.alternates, probes: body.probes, text: src.slice(i, body.end + 1) };
        i = body.end + 1;
      } else if (ch === '[') {
        let j = i + 1;
        if (src[j] === '^') j++;
        if (src[j] === ']') j++;
        while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
        const text = src.slice(i, j + 1);
        const wide = src[i + 1] === '^';
        atom = { min: 1, max: 1, wide, isGroup: false, complex: false, probes: probeSet(text, wide), text };
        i = j + 1;
      } else if (ch === '\\') {
        const text = src.slice(i, i + 2);
        const wide = WIDE_ESCAPES.has(src[i + 1] ?? '');
        // \b, \B and the like match no character: they neither repeat nor separate.
        if (/^\\[bB]$/.test(text)) { i += 2; continue; }
        atom = { min: 1, max: 1, wide, isGroup: false, complex: false, probes: probeSet(text, wide), text };
        i += 2;
      } else {
        const wide = ch === '.';
        atom = { min: 1, max: 1, wide, isGroup: false, complex: false, probes: probeSet(ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), wide), text: ch };
        i++;
      }
      const q = readQuantifier(src, i);
      if (q.length) {
        atom.min = q.min;
        atom.max = q.max;
        atom.text += src.slice(i, i + q.length);
        i += q.length;
        if (q.max > 1) repeats = true;
      }
      if (atom.max > 1 && atom.complex && body && !hasUnambiguousSeparator(body)) {
        problems.push(`'${atom.text}' repeats a group that itself repeats or alternates (nested quantifiers backtrack exponentially); give each iteration a separator nothing else in it matches, or flatten it`);
      }
      if (atom.max === Infinity && atom.wide) problems.push(`'${atom.text}' is an unbounded repeat of a wide class; bound it, e.g. {0,200}`);
      if (atom.max === Infinity && prev?.max === Infinity && !disjoint(prev.probes, atom.probes)) {
        problems.push(`'${prev.text}${atom.text}' puts two unbounded repeats of overlapping characters in a row; bound one or separate them with a literal`);
      }
      atoms.push(atom);
      prev = atom;
    }
    return { end: i, repeats, alternates, atoms, probes: union(atoms.map((a) => a.probes)) };
  };

  let pos = 0;
  while (pos < src.length) pos = parseSeq(pos).end + 1;
  return [...new Set(problems)];
}
