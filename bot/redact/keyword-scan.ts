/**
 * One pass over the text that finds every rule keyword at once (Aho–Corasick, ASCII case
 * folded), so the cost of deciding which rules to run does not grow with the number of rules.
 * gitleaks gates its rules the same way; here the pass also tells *where* the keywords are, so
 * a rule runs only on the lines that hold one.
 */

export interface KeywordScanner {
  /** Calls `hit(keywordIndex, endIndex)` for every occurrence, in text order. */
  scan(text: string, hit: (keyword: number, end: number) => void): void;
  readonly keywords: readonly string[];
}

/**
 * The automaton as plain data, so the build can store it (dist/redaction-snapshot.json) and a
 * start need not rebuild it: building costs ~8 ms of interpreted loops, restoring a copy.
 */
export interface KeywordAutomaton {
  keywords: string[];
  /** Character class of each ASCII code (base64 of a Uint8Array(128)). */
  classOf: string;
  /** Transition table, rows pre-multiplied by the class count (base64 of an Int32Array). */
  table: string;
  /** [row offset, keyword index...] for every state that ends a keyword. */
  outputs: number[][];
}

/**
 * Builds the automaton; keywords are matched case-insensitively (ASCII), and a digit in a
 * keyword stands for any digit (`0000 0000 0000` finds spaced card numbers). The alphabet is
 * the characters the keywords use plus one class for everything else, so the transition table
 * stays small enough to live in the CPU cache.
 */
export function buildKeywordAutomaton(keywords: readonly string[]): KeywordAutomaton {
  const lowered = keywords.map((k) => k.toLowerCase());
  // Character classes: 0 for any character no keyword uses; ASCII letters folded.
  const classOf = new Uint8Array(128);
  let classes = 1;
  for (const word of lowered) {
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c >= 128) throw new Error(`keyword '${word}' must be ASCII`);
      if (!classOf[c]) {
        classOf[c] = classes;
        if (c >= 97 && c <= 122) classOf[c - 32] = classes;
        if (c >= 48 && c <= 57) for (let d = 48; d <= 57; d++) classOf[d] = classes;
        classes++;
      }
    }
  }
  const goto: Int32Array[] = [new Int32Array(classes).fill(-1)];
  const outputs: number[][] = [[]];
  for (const [index, word] of lowered.entries()) {
    if (!word) throw new Error('empty keyword');
    let state = 0;
    for (let i = 0; i < word.length; i++) {
      const s = classOf[word.charCodeAt(i)] as number;
      const row = goto[state] as Int32Array;
      if (row[s] === -1) {
        row[s] = goto.length;
        goto.push(new Int32Array(classes).fill(-1));
        outputs.push([]);
      }
      state = row[s] as number;
    }
    (outputs[state] as number[]).push(index);
  }
  // Breadth-first: failure links, then a complete transition table (a DFA).
  const fail = new Int32Array(goto.length);
  const table = new Int32Array(goto.length * classes);
  const queue: number[] = [];
  for (let s = 0; s < classes; s++) {
    const next = (goto[0] as Int32Array)[s] as number;
    if (next === -1 || s === 0) table[s] = 0;
    else {
      table[s] = next;
      fail[next] = 0;
      queue.push(next);
    }
  }
  for (let q = 0; q < queue.length; q++) {
    const state = queue[q] as number;
    const row = goto[state] as Int32Array;
    const out = outputs[state] as number[];
    out.push(...(outputs[fail[state] as number] as number[]));
    for (let s = 0; s < classes; s++) {
      const next = s === 0 ? -1 : (row[s] as number);
      const viaFail = table[(fail[state] as number) * classes + s] as number;
      if (next === -1) table[state * classes + s] = viaFail;
      else {
        table[state * classes + s] = next;
        fail[next] = viaFail;
        queue.push(next);
      }
    }
  }
  // Pre-multiplied rows: the next state's row offset is read directly from the table.
  for (let i = 0; i < table.length; i++) table[i] = (table[i] as number) * classes;
  const outputRows: number[][] = [];
  for (let s = 0; s < goto.length; s++) {
    if ((outputs[s] as number[]).length) outputRows.push([s * classes, ...(outputs[s] as number[])]);
  }
  const base64 = (a: Uint8Array | Int32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  return { keywords: lowered, classOf: base64(classOf), table: base64(table), outputs: outputRows };
}

/** The scanner for an automaton, built here or restored from the build's copy. */
export function keywordScannerFrom(automaton: KeywordAutomaton): KeywordScanner {
  const classOf = new Uint8Array(Buffer.from(automaton.classOf, 'base64'));
  const bytes = Buffer.from(automaton.table, 'base64');
  // Copied into its own buffer: a decoded Buffer may sit unaligned in Node's shared pool.
  const table = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(table.buffer).set(bytes);
  if (classOf.length !== 128 || table.length === 0) throw new Error('not a keyword automaton');
  // Indexed by row offset, so the scan loop never divides.
  const hasOutput = new Uint8Array(table.length);
  const outputAt: number[][] = [];
  for (const [row, ...keywords] of automaton.outputs) {
    hasOutput[row as number] = 1;
    outputAt[row as number] = keywords;
  }
  return {
    keywords: automaton.keywords,
    scan(text, hit) {
      let row = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        row = table[row + (code < 128 ? (classOf[code] as number) : 0)] as number;
        if (hasOutput[row] === 1) for (const k of outputAt[row] as number[]) hit(k, i + 1);
      }
    },
  };
}

/** Every rule's keywords, lower-cased, each once, in rule order: the scanner's keyword indexes. */
export function distinctKeywords(rules: readonly { keywords: readonly string[] }[]): string[] {
  return [...new Set(rules.flatMap((r) => r.keywords.map((k) => k.toLowerCase())))];
}

export function createKeywordScanner(keywords: readonly string[]): KeywordScanner {
  return keywordScannerFrom(buildKeywordAutomaton(keywords));
}
