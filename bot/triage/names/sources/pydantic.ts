import { bareClass, LIBRARY_CLASSES } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// FastAPI puts where a value came from before the field: ('body', 'email'), ('response', 'id').
const LOC_PREFIXES = new Set(['body', 'query', 'path', 'response', 'header', 'cookie', '__root__']);
// `3 validation errors for AppConfig`, `1 validation error for ParsingModel[List[__main__.TeamOut]]`. A header quoted in
// the poster's sentence ends at the quote or the backtick that closes it (letta#1256: `` `...ValidationError: 1 validation
// error for ChatCompletionResponse` ``).
const HEADER = /\b\d{1,5} validation errors? for ([A-Za-z_][\w.[\], ]{0,300}?)(?: ([A-Za-z_]\w{0,80}))?[`'"]{0,3}\s*(?:\n|$)/;
// A header whose line breaks were lost (a traceback pasted on one line): `2 validation errors for Settings API_ID
// Field required [type=missing, ...`: the first location and its error follow on the same line. pydantic 1 words
// its errors in lower case and its locations with arrows: `1 validation error for Request body -> logs -> 0 ->
// user_comment none is not an allowed value (type=type_error.none.not_allowed)` (logdetective-website#85).
const FLAT_HEADER = /\b\d{1,5} validation errors? for ([A-Za-z_][\w.[\]]{0,200}) ([A-Za-z_][\w.]{0,200}|\w{1,80}(?: -> \w{1,80}){1,10}) [A-Za-z][a-z][^\n[(]{0,200}[[(]type=/;
// A header inside a logged string, its line breaks escaped (a JSON log, a repr pretty-printed over lines):
// `'exc_message': '1 validation error for PageRefsParams\\n'` / `'last.offset\\n'`, `...for Item\nprice\n  Input ...`.
// A log may instead end each line of the string with a backslash before the real line break (`"exception_string": "2
// validation errors for Page[DatasetMetaData]\` / `page\` / `  Field required [type=missing, ...`, osparc-simcore#8020).
const ESCAPED_HEADER = /\b\d{1,5} validation errors? for ([A-Za-z_][\w.[\]]{0,200})\\{1,2}(?:n|\r?\n)/;
const ESCAPED_LOC = /^(?:[\s'"]|\\n){0,60}([A-Za-z_][\w.]{0,200}|\w{1,80}(?: -> \w{1,80}){1,10})\\{1,2}(?:n|\r?\n)/;
// pydantic before 1.0 named no model: `1 validation error` and the locations below it.
const BARE_HEADER = /\b\d{1,5} validation errors?\s*\n/;
// Generic wrappers and typing names around the user's model.
const BUILTINS = new Set(['int', 'str', 'float', 'bool', 'bytes', 'Any', 'None', 'datetime', 'date', 'UUID', 'Decimal']);
// fastapi-pagination's page classes (`LimitOffsetPage[UserOut]`, `CursorPage[ItemOut]`) wrap the user's schema as `Page` does.
const WRAPPERS = new Set(['ParsingModel', 'List', 'list', 'Optional', 'Dict', 'dict', 'Union', 'Sequence', 'Tuple', 'tuple', 'Set', 'set', 'Annotated', 'RootModel', 'Page', 'LimitOffsetPage', 'CursorPage', 'TypeAdapter']);
// v2 `results.0.remote_fields`, v1 `response -> msg`, a loc line under the header.
// Pydantic 2 tags the member of a union that failed after the field, with the member validator's name (pydantic-core's
// `src/validators/*.rs`: `EXPECTED_TYPE` and each `get_name()`): `text.str`, `text.int`, `text.is-instance[AsyncIterator]`,
// `value.function-after[check(), str]`, `ids.list[int]`, `name.constrained-str`, `x.nullable[int]`, `mode.literal['a','b']`.
// A plain builtin word (`str`, `date`) is a tag only at the end of a location: a nested field may be called `date`. The names
// with a bracket or a hyphen are never a field's, and everything after one belongs to the member (`ids.list[int].0`).
const BRACKET_TAGS = 'function-(?:after|before|wrap|plain)|is-(?:instance|subclass)|json-or-python|lax-or-strict|tagged-union|union|nullable|default|chain|custom-error|generator|dataclass-args|call|list|dict|tuple|set|frozenset|literal|(?:str-|int-|float-)?enum';
const HYPHEN_TAGS = 'constrained-(?:str|int|float|bytes)|typed-dict|model-fields|definition-ref|multi-host-url';
const UNION_TAG = new RegExp(`^(?:str|int|float|bool|bytes|none|decimal|date|datetime|time|timedelta|uuid|dict|list|tuple|set|frozenset|${HYPHEN_TAGS})$|^(?:${BRACKET_TAGS})\\[`);
// Where a member tag with a bracket or a hyphen begins in a location: the field is before it.
const MEMBER_TAG_AT = new RegExp(`\\.(?:(?:${BRACKET_TAGS})\\[|(?:${HYPHEN_TAGS})(?:$|\\.))`);
const LOC_LINE = new RegExp(`^([A-Za-z_0-9][\\w.]{0,200}(?:\\.(?:${BRACKET_TAGS})\\[[^\\n]{0,200}|\\.(?:${HYPHEN_TAGS})(?:\\.[\\w.]{0,100})?)?|\\w{1,80}(?: -> \\w{1,80}){1,10})$`);
const LOC_TUPLE = /'loc': \(((?:'\w{1,80}'|\d{1,6})(?:, (?:'\w{1,80}'|\d{1,6})){0,8}),?\)/g;
const LOC_JSON = /"loc":\s{0,20}\[([^\]]{1,400})\]/g;
// `check that <class 'app.models.User'> is a valid Pydantic field type`
const INVALID_FIELD_TYPE = /check that <class '([\w.]{1,300})'> is a valid Pydantic field type/;

// Pydantic's errors about a model's definition name the field in quotes: v1's `On field "total" the following
// field constraints are set but not enforced`, `Field name "json" shadows a BaseModel attribute`,
// v2's `Field "model_id" has conflict with protected namespace "model_"`.
const DEFINITION_FIELD = /\b(?:On field|Field name|Field) "(\w{1,80})" (?:the following|shadows|has conflict|is not|requires)/;

// pydantic v1's exception as its repr, where FastAPI wraps a response's errors:
// `ErrorWrapper(exc=ValidationError(model='Page[JobResponse]', errors=[{'loc': ('items', 0, 'input'), ...`.
// Pretty-printed (devtools, a debugger), the repr breaks after the parenthesis: `ValidationError(` / `    model='Settings',`
// (pydantic-settings#24).
const MODEL_REPR = /\bValidationError\(\s{0,40}model=['"]([A-Za-z_][\w.[\], ]{0,300}?)['"]/;
// A header the poster quoted in their code's comments (`# 1 validation error for TableModel` / `# value`), in an
// indented docstring, or behind a reply's quote marks: the marks before the count prefix every line under it too.
const COMMENT_PREFIX = /^[\s#>|]{1,20}$/;

const ANY_WORD = /validation error|ValidationError\(\s{0,40}model=|type=|"loc"|'loc'|Pydantic field type|ield(?: name)? "/;

/**
 * The errors of a repr'd ValidationError follow one another: `errors=[{'loc': ('A',), ...}, {'loc': ('B',), ...}]`. The field
 * is the first error's; a `'loc'` after `}, {` is a later one, read less surely (a record may hold only the list's tail, where the
 * poster's line break cut the repr).
 */
function laterErrorPenalty(text: string, at: number): number {
  // v1 puts `'loc'` first in each error (`}, {'loc': ...`), v2's `errors()` after `'type'` (`}, {'type': 'missing', 'loc': ...`).
  return /\},\s{0,4}\{[^{}]{0,100}$/.test(text.slice(Math.max(0, at - 120), at)) ? 0.05 : 0;
}

// Where a repr'd list of errors starts: v1's `ValidationError(model='Settings', errors=[{`, a logged `e.errors()` (`[{'loc': (`,
// v2's `[{'type': 'missing', 'loc': (`).
const ERRORS_LIST = /errors=\[\s{0,2}\{|\[\s{0,2}\{'(?:loc|type)':/;
// The same location as LOC_TUPLE where a wrap took a space with it (`'loc':` / `('API_CACHE_TTL',)`: trailing blanks are trimmed).
const JOINED_LOC = /'loc':\s{0,2}\(((?:'\w{1,80}'|\d{1,6})(?:,\s{0,2}(?:'\w{1,80}'|\d{1,6})){0,8}),?\)/;

/**
 * The first error's location of a repr'd list, read with the list's line breaks taken out: a terminal or a log viewer wraps a
 * long repr at a fixed width, anywhere, even inside a name (`'API_\nRETRY_LIMIT'`, Prefect's `'value_error.e\nxtra'`).
 */
function firstListedLoc(text: string): { field: string; evidence: string } | null {
  const at = text.search(ERRORS_LIST);
  if (at < 0) return null;
  const m = JOINED_LOC.exec(text.slice(at, at + 6000).replace(/\r?\n/g, ''));
  const field = m ? lastPart(m[1] ?? '') : undefined;
  return field && m ? { field, evidence: m[0] } : null;
}

function lastPart(loc: string): string | undefined {
  const tagAt = loc.length <= 600 ? loc.search(MEMBER_TAG_AT) : -1;
  if (tagAt > 0) loc = loc.slice(0, tagAt);
  const parts = loc.split(/\.| -> |,\s*/).map((p) => p.replace(/["'\s]/g, '')).filter((p) => p && !/^\d+$/.test(p) && p !== '__root__');
  // FastAPI puts where the value came from first (`["body", "query"]`): only there is it a location, not a field.
  if (parts.length && LOC_PREFIXES.has(parts[0] ?? '')) parts.shift();
  // Pydantic 2 tags a union's member after the field (`text.str`, `text.int`, `value.function-after[...]`).
  while (parts.length > 1 && UNION_TAG.test(parts[parts.length - 1] ?? '')) parts.pop();
  return parts[parts.length - 1];
}

/**
 * A location under pydantic's own header is the model's field, so a location of one segment named like FastAPI's source is the
 * field itself (pydantic-ai's `1 validation error for response_data_typed_dict` / `response` / `Field required [type=missing`;
 * GPTeam's `for SearchDocumentsToolInput` / `query` / `field required (type=value_error.missing)`). FastAPI always puts a
 * parameter after `query`, `path`, `header`, `cookie`; but on pydantic 1 it raised pydantic's own error for a whole response or
 * body (`1 validation error for ItemOut` / `response` / `none is not an allowed value (type=...)`), so a lone `response` or
 * `body` counts only above pydantic 2's `[type=` tag, which FastAPI never prints under a pydantic header.
 */
function ownLocation(loc: string, next: string): string | undefined {
  const field = lastPart(loc);
  if (field) return field;
  const word = loc.trim();
  if (!LOC_PREFIXES.has(word) || word === '__root__') return undefined;
  return (word === 'response' || word === 'body') && !next.includes('[type=') ? undefined : word;
}

/**
 * The errors under a header printed inside a log's message column: a Rich console handler (Langflow, Prefect) or a logger's
 * continuation indent puts every line under the header at the column where the message starts (`                 text.str` /
 * `                   Input should be a valid string [type=string_type,`). The first line is then an indented location whose
 * error, indented further, follows with pydantic's type tag: the lines are read with that column taken off. Any other
 * indented first line (an error's own indentation under a location cut away) is left as it is.
 */
function inLogColumn(lines: string[]): string[] {
  const first = lines.findIndex((l) => l.trim() !== '');
  const line = lines[first] ?? '';
  const column = /^[ \t]{1,80}/.exec(line)?.[0].length ?? 0;
  if (!column || !LOC_LINE.test(line.slice(column))) return lines;
  const next = lines[first + 1] ?? '';
  const deeper = (/^[ \t]{0,120}/.exec(next)?.[0].length ?? 0) > column;
  if (!deeper || !/\[type=|\(type=/.test(`${next} ${lines[first + 2] ?? ''}`)) return lines;
  const pad = line.slice(0, column);
  return lines.map((l) => (l.startsWith(pad) ? l.slice(column) : l));
}

// The same log column wraps a long header too, putting the model on the next line at the column, where the first location
// follows it (pypa/pip#12775, a Langflow log filed in the wrong tracker: `...Chat Output: 3 validation errors for` /
// `                             Message` / `                             text.str`). pydantic never ends a header at `for`.
const WRAPPED_HEADER = /(\b\d{1,5} validation errors? for)[ \t]{0,4}\n([ \t]{1,80})([A-Za-z_][\w.[\]]{0,200})[ \t]{0,4}\n(?=\2\S)/;

/** A header a log column wrapped after `for`, joined back onto one line; the locations under it keep their column. */
function joinWrappedHeader(text: string): string {
  if (!text.includes(' for\n') && !/ for[ \t]{1,4}\n/.test(text)) return text;
  return text.replace(WRAPPED_HEADER, '$1 $3\n');
}

/** A line under a commented header without its marks: `    #   value is not a valid enumeration` -> `  value is ...`. */
function uncomment(line: string, marks: string): string {
  if (!marks) return line;
  const bare = marks.trimEnd();
  if (!bare) return line.startsWith(marks) ? line.slice(marks.length) : line;
  return line.startsWith(bare) ? line.slice(bare.length).replace(/^ /, '') : line;
}

/** The user's classes a header names, outermost first: `Envelope[List[Item]]` -> [Envelope, Item]. */
function headerClasses(header: string): string[] {
  return header.split(/[[\], ]+/).filter(Boolean).map(bareClass).filter((n) => !WRAPPERS.has(n) && !BUILTINS.has(n) && /^[A-Za-z_]\w*$/.test(n));
}

/**
 * The class whose field the first location names. A location that goes down through a list index or a nested field
 * (`items -> 0 -> create_time`, `data.name`) ends in a field of the class inside the generic (`Envelope[Item]`: Item's
 * `name`); a location of one segment (`data`) is the outer class's own field.
 */
function schemaForLocation(header: string, loc: string | undefined): string | null {
  const names = headerClasses(header);
  if (names.length < 2 || !loc) return names[0] ?? null;
  const parts = loc.split(/\.| -> /).map((p) => p.trim()).filter(Boolean);
  if (parts.length && LOC_PREFIXES.has(parts[0] ?? '')) parts.shift();
  const nested = parts.length > 1 && !UNION_TAG.test(parts[parts.length - 1] ?? '');
  return nested ? names[names.length - 1] ?? null : names[0] ?? null;
}

/** The class inside generic wrappers: `ParsingModel[List[__main__.TeamOut]]` -> `TeamOut`. */
export function schemaInHeader(header: string): string | null {
  // `Output[int]`: the user's generic class around a builtin; `Page[UserOut]`: a wrapper around theirs.
  // `PluginDaemonBasicResponse[PluginListResponse]`: the user's own generic class is the one validated
  // (the fields under the header are its own), so the outermost class that is no wrapper is the schema.
  // `1 validation error for RootModel`: the user validated through pydantic's RootModel itself (no subclass, no
  // parameter left in the header): the class the header names is all there is.
  return headerClasses(header)[0] ?? (/^RootModel$/.test(header.trim()) ? 'RootModel' : null);
}

/** Pydantic and FastAPI validation errors: the model in the header and the fields under it. */
export const pydanticSource: NameSource = {
  id: 'pydantic',
  describe: 'pydantic / FastAPI validation headers (incl. generic wrappers) and the field locations under them',
  find(ctx: NameContext, out: NameFinding[]): void {
    if (ctx.text && !ANY_WORD.test(ctx.text)) return;
    const texts = ctx.ordered.map((r) => r.message.slice(0, 4000));
    texts.push(ctx.text);
    for (let i = 0; i < texts.length; i++) texts[i] = joinWrappedHeader(texts[i] ?? '');
    const listed = ctx.text.includes('{') ? firstListedLoc(ctx.text) : null;
    if (listed) out.push({ role: 'field', value: listed.field, source: 'pydantic', confidence: 0.89, evidence: listed.evidence });
    texts.forEach((text, rank) => {
      if (!ANY_WORD.test(text)) return;
      const top = rank === 0 ? 0 : 0.03;
      const header = HEADER.exec(text);
      const flat = header ? null : FLAT_HEADER.exec(text);
      if (flat?.[1] && flat[2]) {
        const schema = schemaInHeader(flat[1]);
        if (schema) out.push({ role: 'schema', value: schema, source: 'pydantic', confidence: 0.93 - top, evidence: flat[0] });
        const field = lastPart(flat[2]);
        if (field) out.push({ role: 'field', value: field, source: 'pydantic', confidence: 0.88 - top, evidence: flat[0] });
      }
      const escaped = header || flat || !text.includes('\\') ? null : ESCAPED_HEADER.exec(text);
      if (escaped?.[1]) {
        const schema = schemaInHeader(escaped[1]);
        if (schema) out.push({ role: 'schema', value: schema, source: 'pydantic', confidence: 0.92 - top, evidence: escaped[0] });
        const end = (escaped.index ?? 0) + escaped[0].length;
        const loc = ESCAPED_LOC.exec(text.slice(end, end + 400));
        const field = loc?.[1] ? lastPart(loc[1]) : undefined;
        if (field) out.push({ role: 'field', value: field, source: 'pydantic', confidence: 0.87 - top, evidence: `${escaped[0]} ${loc?.[1] ?? ''}` });
      }
      const bare = header || flat || escaped ? null : BARE_HEADER.exec(text);
      if (bare) {
        // Only a location whose error follows it, indented, with its type tag, is read: a bare count says nothing else.
        const after = text.slice((bare.index ?? 0) + bare[0].length, (bare.index ?? 0) + bare[0].length + 3000).split('\n').map((l) => l.replace(/^E {1,16}/, ''));
        for (let i = 0; i + 1 < after.length; i++) {
          const line = after[i] ?? '';
          if (!LOC_LINE.test(line)) break;
          if (!/(?:\[type=|\(type=)/.test(after[i + 1] ?? '')) break;
          const field = lastPart(line);
          if (field) out.push({ role: 'field', value: field, source: 'pydantic', confidence: 0.85 - top, evidence: line });
          i++;
        }
      }
      if (header?.[1]) {
        const schema = schemaInHeader(header[1]);
        if (schema) out.push({ role: 'schema', value: schema, source: 'pydantic', confidence: 0.95 - top, evidence: header[0].trim() });
        // `1 validation error for RSAKey token_gid` (the poster joined two lines): the loc follows.
        if (header[2]) out.push({ role: 'field', value: header[2], source: 'pydantic', confidence: 0.9 - top, evidence: header[0].trim() });
        let firstLoc = true;
        const lineStart = text.lastIndexOf('\n', header.index ?? 0) + 1;
        const prefix = text.slice(lineStart, header.index ?? 0);
        const marks = prefix && COMMENT_PREFIX.test(prefix) ? prefix : '';
        const after = inLogColumn(text.slice((header.index ?? 0) + header[0].length, (header.index ?? 0) + header[0].length + 3000).split('\n').map((l) => uncomment(l, marks)));
        for (let i = 0; i < after.length; i++) {
          const line = after[i] ?? '';
          if (/^\s/.test(line) || line === '') continue;
          // The errors end where a line is neither indented nor a location.
          if (!LOC_LINE.test(line)) break;
          const field = ownLocation(line, after.slice(i + 1).find((l) => l.trim() !== '') ?? '');
          if (field) out.push({ role: 'field', value: field, source: 'pydantic', confidence: 0.9 - top, evidence: line });
          // The field's own class, when the header parametrises the user's generic with another of their classes.
          const owner = firstLoc && header[1].includes('[') ? schemaForLocation(header[1], line) : null;
          if (owner && owner !== schema) out.push({ role: 'schema', value: owner, source: 'pydantic', confidence: 0.96 - top, evidence: `${header[0].trim()} ${line}` });
          firstLoc = false;
        }
      } else {
        // No header shown (a clipped paste): a bare loc line followed by its indented error. A log prefix taken off
        // by the normaliser takes the indentation with it (`2024-12-06T11:47:57.320422384Z   Field required [type=...`):
        // an error in pydantic 2's own wording, capitalised with its type tag, counts unindented.
        const lines = text.split('\n');
        for (let i = 0; i + 1 < lines.length; i++) {
          const line = lines[i] ?? '';
          if (LOC_LINE.test(line) && /^(?:\s{2,}\S|[A-Z][a-z])[^\n]{0,300}(?:\[type=|\(type=)/.test(lines[i + 1] ?? '')) {
            const field = lastPart(line);
            if (field) out.push({ role: 'field', value: field, source: 'pydantic', confidence: 0.85 - top, evidence: line });
          }
        }
      }
      const repr = text.includes('ValidationError(') ? MODEL_REPR.exec(text) : null;
      const reprSchema = repr?.[1] ? schemaInHeader(repr[1]) : null;
      if (reprSchema && !LIBRARY_CLASSES.has(reprSchema)) out.push({ role: 'schema', value: reprSchema, source: 'pydantic', confidence: 0.93 - top, evidence: repr?.[0] ?? '' });
      for (const m of text.matchAll(LOC_TUPLE)) {
        const field = lastPart(m[1] ?? '');
        if (field) out.push({ role: 'field', value: field, source: 'pydantic', confidence: 0.88 - top - laterErrorPenalty(text, m.index ?? 0), evidence: m[0] });
      }
      for (const m of text.matchAll(LOC_JSON)) {
        const field = lastPart(m[1] ?? '');
        if (field) out.push({ role: 'field', value: field, source: 'pydantic', confidence: 0.88 - top - laterErrorPenalty(text, m.index ?? 0), evidence: m[0].replace(/\s+/g, ' ') });
      }
      const definition = DEFINITION_FIELD.exec(text);
      if (definition?.[1]) out.push({ role: 'field', value: definition[1], source: 'pydantic', confidence: 0.85 - top, evidence: definition[0] });
      const invalid = INVALID_FIELD_TYPE.exec(text);
      if (invalid?.[1]) {
        const cls = bareClass(invalid[1]);
        if (!LIBRARY_CLASSES.has(cls)) out.push({ role: 'model', value: cls, source: 'pydantic', confidence: 0.85 - top, evidence: invalid[0] });
      }
    });
  },
  examples: [
    { source: 'https://github.com/pydantic/pydantic/issues/9730', input: "pydantic_core._pydantic_core.ValidationError: 1 validation error for PersonFilmRoles\nroles\n  Field required [type=missing, input_value={'id': 'sad', 'name': ['sad']}, input_type=dict]", expect: { schema: 'PersonFilmRoles', field: 'roles' } },
    { source: 'https://github.com/yezz123/FRDP/issues/7', input: 'pydantic.error_wrappers.ValidationError: 1 validation error for Msg\nresponse -> msg\n  field required (type=value_error.missing)', expect: { schema: 'Msg', field: 'msg' } },
    { source: 'https://github.com/merge-api/merge-python-client/issues/98', input: "pydantic_core._pydantic_core.ValidationError: 100 validation errors for PaginatedContactList\nresults.0.remote_fields\n  Field required [type=missing, input_value={'id': '3d271ee3-cd8c-4d7...}}, 'remote_data': None}, input_type=dict]", expect: { schema: 'PaginatedContactList', field: 'remote_fields' } },
  ],
};
