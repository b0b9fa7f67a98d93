import type { NameContext, NameFinding, NameSource } from '../types.js';

// pydantic raises its ValidationError from the constructor the user's code called: `dify_config = DifyConfig()  # type: ignore`
// over pydantic-settings' frames, `return Response(**payload[0])`. When the header that names the schema is missing (the paste
// stops at `ValidationError: 1 va`, or IPython's header `ValidationError    Traceback (most recent call last)` is all the
// paste shows of the exception), the class that line constructs is the schema.
// The call may open on the line and go on below it (`config = BenchmarkConfig(` in an IPython cell).
const CONSTRUCTED = /(?:^|[=(,]\s{0,4}|return\s{1,4}|await\s{1,4})(?:[a-z_]\w{0,40}\.)?([A-Z]\w{0,80})(?:\.(?:model_validate(?:_json)?|parse_obj|parse_raw|model_construct))?\(\s{0,4}(?:\)|\*\*\w|\w{1,40}\s{0,2}=(?!=)|$)/;
// pydantic's own helpers; a `Response` here is the user's (Starlette's raises no ValidationError).
const NOT_SCHEMAS = new Set(['BaseModel', 'TypeAdapter', 'Field', 'Depends', 'Query', 'Body', 'Path', 'Optional', 'List', 'Dict']);
const HEADER = /\bvalidation errors? for [A-Za-z_]/;
// IPython's traceback header puts the exception's name first.
const IPYTHON_HEADER = /^\s{0,8}(?:[\w.]{1,200}\.)?ValidationError\s{2,200}Traceback \(most recent call last\)/m;

function isValidationError(ctx: NameContext): boolean {
  const record = ctx.primary;
  const header = ctx.text.includes('ValidationError') && IPYTHON_HEADER.test(ctx.text);
  // A bare `ValidationError` record with no message is the one IPython's header names (parse.ts reads it
  // when the paste stops before the exception line): the header is the evidence, as when no record was read.
  if (record?.type === 'ValidationError' && record.message === '' && header) return true;
  if (record?.type.endsWith('ValidationError')) return /pydantic/.test(record.type) || ctx.ordered.some((r) => r.frames.some((f) => /pydantic/.test(f.file)));
  return header;
}

/** The schema a cut pydantic ValidationError was raised for, read off the user's line that constructed it. */
export const pydanticConstructorSource: NameSource = {
  id: 'code',
  describe: "a pydantic ValidationError without its header: the class the failing line constructs (`DifyConfig()`, `Response(**d)`)",
  find(ctx: NameContext, out: NameFinding[]): void {
    if (!ctx.text.includes('ValidationError') || HEADER.test(ctx.text) || out.some((f) => f.role === 'schema')) return;
    if (!isValidationError(ctx)) return;
    // The frame that called into pydantic (a library's, as text_generation's client is, or the user's), then the user's lines.
    const calling: string[] = [];
    for (const r of ctx.ordered) {
      const f = [...r.frames].reverse().find((x) => x.code && !/pydantic/.test(x.file));
      if (f) { calling.push(f.code); break; }
    }
    for (const code of [...calling, ...ctx.failing.map((l) => l.code)]) {
      const m = CONSTRUCTED.exec(code.replace(/\s#[^\n]{0,300}$/, ''));
      const name = m?.[1];
      if (!name || NOT_SCHEMAS.has(name) || /(?:Error|Exception|Warning)$/.test(name)) continue;
      out.push({ role: 'schema', value: name, source: 'code', confidence: 0.75, evidence: code.trim().slice(0, 160) });
      return;
    }
  },
  examples: [],
};
