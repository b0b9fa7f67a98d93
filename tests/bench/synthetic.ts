import { compileFault, type Fault } from '../../bot/kb/compile.js';
import type { FaultFile } from '../../bot/kb/schema.js';

// A deterministic vocabulary so synthetic faults look like real ones to the index: distinct
// exception names, messages of ordinary error words, phrases that share common words.
const WORDS = 'connection session transaction cursor pool driver column table index schema query statement result mapper relation attribute object instance value field model request response worker queue timeout lock retry token parser buffer stream channel handler socket record cache config plugin dialect engine migration revision branch'.split(' ');
const VERBS = 'could not be found,was not loaded,has been closed,is already attached,cannot be used,was rolled back,is not bound,failed to resolve,exceeded the limit,is not available'.split(',');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `count` compiled faults shaped like the shipped ones (signatures, codes, phrases, fixes). */
export function syntheticFaults(count: number, seed = 42): Fault[] {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const faults: Fault[] = [];
  for (let i = 0; i < count; i++) {
    const a = pick(WORDS);
    const b = pick(WORDS);
    const verb = pick(VERBS);
    const type = `Synthetic${a[0]!.toUpperCase()}${a.slice(1)}${i}Error`;
    const message = `the ${a} ${b} ${verb} for item${i}`;
    const spec: FaultFile = {
      library: 'synthetic',
      stack: ['python'],
      title: { en: `Synthetic ${a} ${b} fault ${i}`, ja: `合成 ${i}` },
      summary: { en: message, ja: message },
      match: {
        signatures: [{ type, message: `${a} ${b} ${verb.split(' ')[0]}` }, { message: `${b} ${verb} for item${i}\\b` }],
        codes: [`s${i.toString(36)}`],
        sqlstates: [],
        sqlstate_unless: [],
        phrases: [`${a} ${b} ${verb} for item${i}`, `${type} ${verb}`],
        priority: 0,
        symptom: false,
      },
      causes: [{ id: 'default', title: { en: 'cause', ja: '原因' }, explanation: { en: message, ja: message }, clues: [{ frame: `${a}\\.py`, weight: 1 }] }],
      fixes: [{ id: 'fix', title: { en: 'fix it', ja: '直す' }, score: 50, prefer: [], why: { en: 'because', ja: 'なぜなら' }, tradeoffs: { queries: { en: 'none', ja: 'なし' }, scope: 'code', risk: 'low', effort: 'low' }, snippet: '{{model}}.fix()', lang: 'python', docs: ['https://example.com/docs'], forms: [] }],
      placeholders: {},
      examples: [{ name: 'x', chat: false, input: `${type}: ${message}`, expect: {} }],
      counterexamples: [],
    };
    faults.push(compileFault(`synthetic.fault-${i}`, `synthetic/fault-${i}.yaml`, spec).fault);
  }
  return faults;
}
