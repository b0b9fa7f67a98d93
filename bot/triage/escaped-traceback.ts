/**
 * A Python traceback logged as one string: a structured logger's JSON record (`"exc_info":
 * "Traceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\n ..."`), a bot's error
 * report, the repr of a formatted traceback. Its line breaks and quotes are escapes, so none of
 * its frames or its exception line is a line of the paste. The string is decoded back into lines
 * from `Traceback (most recent call last):\n` to its closing quote (or the end of the line, when
 * the poster cut it); the text before it stays on its own line, the text after it is dropped
 * (`",` and the record's other fields on the same line).
 */
const MARKER = 'Traceback (most recent call last):\\n';
const MAX_DECODED_CHARS = 200_000;
const ESCAPES: Record<string, string> = { n: '\n', t: '    ', r: '', '"': '"', "'": "'", '\\': '\\', '/': '/' };

function decodeFrom(line: string, start: number): string {
  const quote = start > 0 ? line[start - 1] : undefined;
  const closing = quote === '"' || quote === "'" ? quote : null;
  let out = '';
  const end = Math.min(line.length, start + MAX_DECODED_CHARS);
  for (let i = start; i < end; i++) {
    const c = line[i] as string;
    if (c === '\\' && i + 1 < end) {
      const next = line[i + 1] as string;
      out += ESCAPES[next] ?? `\\${next}`;
      i++;
      continue;
    }
    if (closing !== null && c === closing) break;
    out += c;
  }
  return out;
}

/** The text with every escaped traceback string decoded into lines; unchanged when there is none. */
export function expandEscapedTracebacks(text: string): string {
  if (!text.includes(MARKER)) return text;
  return text
    .split('\n')
    .map((line) => {
      const at = line.indexOf(MARKER);
      if (at < 0) return line;
      const head = line.slice(0, at).trimEnd();
      const decoded = decodeFrom(line, at);
      return head ? `${head}\n${decoded}` : decoded;
    })
    .join('\n');
}
