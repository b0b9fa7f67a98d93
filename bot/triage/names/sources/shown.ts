import { isLibraryPath } from '../../parse.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';
import { isFrameworkPath, LIBRARY_CLASSES } from '../words.js';

// A frame header quoted inside a sentence (a PR title cut by GitHub, a log line that lost its breaks):
// `...server.py", line 322, in handle_client, await writer.close()`.
const INLINE_FRAME = /(?:^|[\s"'(…])(?:File ["'])?([^\s"',()]{0,300}\.py)["'], line (\d{1,9}),? in (\w{1,100})\b/g;
// A traceback's own header line: the parser and the loose-frame reader have read those already.
const FRAME_LINE = /^\s{0,16}File ["'][^"'\n]{1,1000}["'], line \d{1,9},? in [\w<>.]{1,300}\s*$/;
// A function the poster shows at the top level of their code (`def create_user_message(message: schemas.Message, ...)`).
const TOP_DEF = /^(?:async\s{1,4})?def ([A-Za-z_]\w{0,100})\(/;
// FastAPI's layout names the pydantic module `schemas` beside the ORM's `models`: `message: schemas.Message`,
// `response_model=schemas.User`. The class after it is a schema even when a model shares its name.
const SCHEMA_MODULE = /(?<![\w.])(?:[a-z_]\w{0,40}\.)?schemas?\.([A-Z]\w{0,80})\b(?!\.)/;
const CLASS_DEF = /^\s{0,8}class ([A-Z]\w{0,80})\(([^)]{0,200})\)/;
const PYDANTIC_BASE = /\b(?:BaseModel|BaseSettings|GenericModel|RootModel)\b/;

/** The innermost frame quoted inline in the paste's prose, when it is not a library's. */
function inlineFrame(ctx: NameContext): { func: string; file: string; evidence: string } | null {
  let found: { func: string; file: string; evidence: string } | null = null;
  for (const line of ctx.parsed.lines) {
    if (!line.includes('", line ') && !line.includes("', line ")) continue;
    if (FRAME_LINE.test(line)) continue;
    for (const m of line.matchAll(INLINE_FRAME)) {
      const file = m[1] ?? '';
      const func = m[3] ?? '';
      if (!func || isLibraryPath(file) || isFrameworkPath(file) || /^(?:module|lambda|listcomp|genexpr)$/.test(func)) continue;
      found = { func, file: file.split(/[\\/…]/).pop() ?? file, evidence: m[0].trim() };
    }
  }
  return found;
}

/** The one function a short paste's code defines at the top level (a nested helper does not count). */
function topLevelFunction(lines: readonly string[]): { func: string; evidence: string } | null {
  let found: { func: string; evidence: string } | null = null;
  for (const line of lines) {
    if (!line.startsWith('def ') && !line.startsWith('async ')) continue;
    const m = TOP_DEF.exec(line);
    if (!m?.[1] || m[1].startsWith('__')) continue;
    if (found && found.func !== m[1]) return null;
    found = { func: m[1], evidence: line.trim().slice(0, 160) };
  }
  return found;
}

/** Pydantic classes the shown code defines, through their bases: `class Message(MessageBase)` with `class MessageBase(BaseModel)`. */
function schemaClasses(lines: readonly string[]): Map<string, string> {
  const defs: [string, string, string][] = [];
  for (const line of lines) {
    if (!line.includes('class ')) continue;
    const m = CLASS_DEF.exec(line);
    if (m?.[1]) defs.push([m[1], m[2] ?? '', line.trim()]);
  }
  const schemas = new Map<string, string>();
  for (let pass = 0; pass < 3; pass++) {
    for (const [name, bases, line] of defs) {
      if (schemas.has(name) || /\btable\s{0,2}=\s{0,2}True/.test(bases)) continue;
      if (PYDANTIC_BASE.test(bases) || bases.split(',').some((b) => schemas.has(b.trim()))) schemas.set(name, line);
    }
  }
  return schemas;
}

// A class shown in a diff keeps the diff's mark: `+class StarklingsUser(Base):`, `+    score = Column(Integer)`.
const SHOWN_CLASS = /^[+]?(\s{0,8})class ([A-Z]\w{0,80})\(([^)]{0,200})\)\s{0,4}:/;
// A name assigned or annotated in a class body: `starklings_user = relationship("ValidatedExercise")`, `user: Mapped["User"] = ...`.
const BODY_NAME = /^[+]?(\s{1,16})([a-z_]\w{0,80})\s{0,4}(?::|=(?!=))/;
const TABLENAME = /^[+]?\s{1,16}__tablename__\s{0,4}=\s{0,4}["'](\w{1,63})["']/;
// The bases of an ORM class: a declarative Base, Flask-SQLAlchemy's `db.Model`, Django's `models.Model`, SQLModel's `table=True`.
const ORM_BASE = /\b(?:Base|Model|DeclarativeBase|db\.Model|models\.Model)\b|\btable\s{0,2}=\s{0,2}True/;
// Schemas named by the layout's suffixes: `class UserResponse(BaseResponse)` of a FastAPI app, its base shown nowhere.
const SCHEMA_NAME = /(?:Schema|Response|Request|Out|In|Create|Update|Read|Payload|DTO)$/;
const VALIDATION_WORDS = /ValidationError|validation errors? for|response_model|pydantic/;

interface ShownClass { name: string; bases: string; names: Set<string>; table: string | null; line: string }

/** The classes a paste shows with the names their bodies assign and their `__tablename__`. */
function shownClasses(lines: readonly string[]): ShownClass[] {
  const classes: ShownClass[] = [];
  let open: { cls: ShownClass; indent: number } | null = null;
  for (const line of lines) {
    const def = line.includes('class ') ? SHOWN_CLASS.exec(line) : null;
    if (def?.[2]) {
      const cls: ShownClass = { name: def[2], bases: def[3] ?? '', names: new Set(), table: null, line: line.replace(/^\+/, '').trim() };
      classes.push(cls);
      open = { cls, indent: (def[1] ?? '').length };
      if (classes.length >= 40) break;
      continue;
    }
    if (!open || !line.trim() || line.trim() === '+') continue;
    const indent = /^[+]?(\s*)/.exec(line)?.[1]?.length ?? 0;
    if (indent <= open.indent) { open = null; continue; }
    const table = line.includes('__tablename__') ? TABLENAME.exec(line) : null;
    if (table?.[1]) { open.cls.table = table[1]; continue; }
    const n = BODY_NAME.exec(line);
    if (n?.[2] && (n[1] ?? '').length > open.indent) open.cls.names.add(n[2]);
  }
  return classes;
}

/**
 * Code the poster shows outside a traceback's frames: the function they say failed, the schemas their code
 * defines and uses. Read only when the frames name nothing of the kind, and below what the frames say.
 */
export const shownSource: NameSource = {
  id: 'code',
  describe: 'code shown outside the frames: a frame quoted in prose, the one top-level def of a short paste, schemas by their `schemas.` module or their pydantic bases',
  find(ctx: NameContext, out: NameFinding[]): void {
    const lines = ctx.parsed.lines;
    if (lines.length > 200) return;
    // Only an installed package's frame named a function (0.7): the user's own frame the poster cut or
    // quoted in a sentence (`**Google_translator.py", line 6, in translator`) is the one that failed.
    const inline = out.some((f) => f.role === 'function' && f.confidence >= 0.72) ? null : inlineFrame(ctx);
    if (inline) {
      out.push({ role: 'function', value: inline.func, source: 'path', confidence: 0.72, evidence: inline.evidence });
      const file = inline.file.replace(/^[*_`]{1,4}/, '');
      if (/^\w[\w.-]{0,100}\.py$/.test(file)) out.push({ role: 'file', value: file, source: 'path', confidence: 0.72, evidence: inline.evidence });
    } else if (!out.some((f) => f.role === 'function')) {
      if (!ctx.ordered.some((r) => r.frames.some((f) => !f.library))) {
        const def = topLevelFunction(lines);
        // The coroutine never awaited is what the code called, not where it failed (`lw.lifespan.on_startup(create_tables())`
        // at module level); only a test is both, since pytest itself called it.
        const isCoroutine = def && out.some((f) => f.role === 'coroutine' && f.value === def.func);
        if (def && (!isCoroutine || /^test/.test(def.func))) out.push({ role: 'function', value: def.func, source: 'code', confidence: 0.6, evidence: def.evidence });
      }
    }
    const classes = lines.some((l) => l.includes('class ')) ? shownClasses(lines) : [];
    // The class whose body defines the attribute the error names is its model: `relationship 'starklings_user' expects a
    // class` over `class StarklingsUser(Base):` / `starklings_user = relationship("ValidatedExercise")`.
    const attr = out.find((f) => f.role === 'attribute' && !f.guess && (f.source === 'signature' || f.source === 'message' || f.source === 'mapper' || f.source === 'python'));
    const owners = attr ? classes.filter((c) => c.names.has(attr.value) && !PYDANTIC_BASE.test(c.bases)) : [];
    if (owners.length === 1 && owners[0]) {
      const owner = owners[0];
      // Only the class: the error is about its attribute, and its `__tablename__` may share the attribute's name (the
      // confusion behind `relationship 'starklings_user' expects a class`).
      out.push({ role: 'model', value: owner.name, source: 'code', confidence: 0.8, evidence: owner.line });
    } else if (!out.some((f) => f.role === 'model' && !f.guess)) {
      // The one ORM class a short paste defines, when nothing else names a model (sqlacodegen's output above the error it
      // raised on import): its table is the `__tablename__` it shows.
      // A pydantic class (`class Item(Base)` over `class Base(BaseModel)`) is no ORM class whatever its base is called.
      const pydantic = schemaClasses(lines);
      const mapped = classes.filter((c) => (ORM_BASE.test(c.bases) || c.table !== null) && !pydantic.has(c.name) && !PYDANTIC_BASE.test(c.bases.replace(/\bSQLModel\b/, '')) && (!/\bSQLModel\b/.test(c.bases) || /\btable\s{0,2}=\s{0,2}True/.test(c.bases)));
      const only = mapped.length === 1 ? mapped[0] : undefined;
      if (only && !LIBRARY_CLASSES.has(only.name)) {
        out.push({ role: 'model', value: only.name, source: 'code', confidence: 0.55, evidence: only.line });
        if (only.table && !out.some((f) => f.role === 'table')) out.push({ role: 'table', value: only.table, source: 'code', confidence: 0.55, evidence: `__tablename__ = '${only.table}'` });
      }
    }
    if (out.some((f) => f.role === 'schema' && (f.source === 'pydantic' || f.source === 'signature'))) return;
    const defined = schemaClasses(lines);
    for (const line of lines) {
      if (!line.includes('schema')) continue;
      const m = SCHEMA_MODULE.exec(line);
      if (m?.[1] && !LIBRARY_CLASSES.has(m[1])) { out.push({ role: 'schema', value: m[1], source: 'code', confidence: defined.has(m[1]) ? 0.78 : 0.74, evidence: line.trim().slice(0, 160) }); return; }
    }
    // A paste about validation that shows a class with a schema's name or base and fields (`class UserResponse(BaseResponse):`
    // / `id: int`, its pydantic base defined elsewhere): the schema, below what a header or the frames say.
    if (out.some((f) => f.role === 'schema') || !VALIDATION_WORDS.test(ctx.text)) return;
    const schema = classes.find((c) => !ORM_BASE.test(c.bases) && !LIBRARY_CLASSES.has(c.name) && (defined.has(c.name) || SCHEMA_NAME.test(c.name) || c.bases.split(',').some((b) => SCHEMA_NAME.test(b.trim()))));
    if (schema) out.push({ role: 'schema', value: schema.name, source: 'code', confidence: 0.66, evidence: schema.line });
  },
  examples: [
    { source: 'https://github.com/lushan88a/google_trans_new/issues/51', input: 'Traceback:\n**Google_translator.py", line 6, in translator\n    text = await g.translate(f"{text}", locale)\n  File "C:\\Python39\\lib\\site-packages\\async_google_trans_new\\main.py", line 241, in translate\n    await s.close()\nTypeError: object NoneType can\'t be used in \'await\' expression**', expect: { function: 'translator', file: 'Google_translator.py' } },
    { source: 'https://github.com/pydantic/pydantic/issues/2124', input: 'def get_users(db: Session, skip: int = 0, limit: int = 100):\n    return db.query(models.User).offset(skip).limit(limit).all()\n\nclass UserBase(BaseModel):\n    email: str\n\nclass User(UserBase):\n    id: int\n\n@app.get("/users/", response_model=List[schemas.User])\ndef read_users(skip: int = 0, limit: int = 100, db: Session = Depends(get_db)):\n    users = crud.get_users(db, skip=skip, limit=limit)\n    return users', expect: { schema: 'User', model: 'User' } },
  ],
};
