import { GENERIC_VARIABLES, LIBRARY_CLASSES, NOT_ATTRIBUTES, NOT_MODEL_SUFFIX, NOT_OBJECTS, PLUMBING_TYPES, pascal, singular } from '../words.js';
import type { CodeLine, NameContext, NameFinding, NameSource } from '../types.js';
import { TYPE_TAGS } from './message.js';
import { schemaInHeader } from './pydantic.js';

// `select(User).where(User.email == body.email)`: a class attribute names the model (`Babble_count.key` too).
const CLASS_REF = /(?<![\w.])(?:[a-z_]\w{0,40}\.){0,3}([A-Z][A-Za-z0-9_]{1,80})\.([a-z_][a-z0-9_]{0,80})\b(?!\s*\()/;
// `get_object_or_404(Tag, name=tag_name)`, `XForm, user__username__iexact=username`: a class followed by lookups.
const LOOKUP_ARG = /(?:^|\()\s{0,4}([A-Z][A-Za-z0-9_]{0,80})\s{0,4},\s{0,4}[a-z_]\w{0,60}\s{0,2}=(?!=)/;
// Python names the attribute that failed: the read just before it names the object and its relationship
// (`InstrumentedList has no attribute 'paginate'` on `user.followers.paginate(...)`).
const FAILED_ATTRIBUTE = /has no attribute ['"](\w{1,80})['"]/;
// `Shipment.by_route(route_id)`, `Elevation.get(fix.location_wkt)`: a class method names its class.
// Pydantic's own constructors name a schema, read below.
const CLASS_CALL = /(?<![\w.])([A-Z][A-Za-z0-9_]{1,80})\.(?!(?:from_orm|model_validate|model_validate_json|parse_obj|parse_raw|model_construct|construct|model_dump|dict|json|schema|model_json_schema)\()([a-z_][a-z0-9_]{0,80})\(/;
// `safe_query(db, Event, 'id', event_id)`, `get_or_create(session, Tag, name=n)`: a class handed over with the session.
const SESSION_ARG = /\(\s{0,4}(?:self\.)?(?:db|session|sess|db_session|async_session|dbsession)\s{0,4},\s{0,4}(?:[a-z_]\w{0,40}\.)?([A-Z][A-Za-z0-9_]{0,80})\s{0,4}[,)]/;
// `self.sq(Note).filter(...)`, `repo(Order).all()`: a class handed to a query helper whose result is then filtered.
const QUERY_CHAIN = /\(\s{0,4}(?:[a-z_]\w{0,40}\.)?([A-Z][A-Za-z0-9_]{0,80})\s{0,4}\)\.(?:filter|filter_by|where|order_by|options|join|all|first|one|one_or_none|scalar|count|limit)\(/;
// `response_model=Page[ServerOut],`: FastAPI's response schema, inside its generic wrapper.
const RESPONSE_MODEL = /\bresponse_model\s{0,4}=\s{0,4}([\w.[\], ]{1,200}?)\s{0,4}(?:,|\)|$)/;
const SELECT_GET = /\bselect\(\s*([A-Z]\w{0,80})|\.get\(\s*([A-Z]\w{0,80})\s*,/g;
// `db.query(Part)`, `session.query(models.Note)`, `session.bulk_update_mappings(Data, rows)`
const SESSION_CLASS = /\.(?:query|bulk_update_mappings|bulk_insert_mappings|get)\(\s*(?:[a-z_]\w{0,40}\.)?([A-Z]\w{0,80})\b/g;
const CLASSICAL_MAPPING = /\b(?:mapper|map_imperatively)\(\s{0,4}(?:[a-z_]\w{0,40}\.)?([A-Z]\w{0,80})\s{0,4},/;
const QUERY_LOWER = /\.query\(\s{0,4}([a-z_]\w{0,80})\s{0,4}\)/;
// `user_1 = User(username=...)`, `session.merge(Model(analyzer=...))`, `OrderIn(name=..., customer=customer)`
const CONSTRUCTOR = /(?:^|[=(,]\s{0,4}|return\s{1,4})(?:[a-z_]\w{0,40}\.)?([A-Z]\w{0,80})\(\s{0,4}(?:\*\*\w|\w{1,40}\s{0,2}=(?!=))/g;
// `session.add(User(self._access_id, self._username))`: whatever is constructed for the session.
const ADDED_OBJECT = /\.(?:add|merge|add_all)\(\s{0,4}\[?(?:[a-z_]\w{0,40}\.)?([A-Z]\w{0,80})\(/g;
// `u = User()` in a shell session: a new object of a class, made without arguments.
const NEW_OBJECT = /^\s{0,8}[a-z_]\w{0,40}\s{0,2}=\s{0,2}(?:[a-z_]\w{0,40}\.)?([A-Z]\w{0,80})\(\)\s{0,4}$/;
// `saveddata_session.commit()` (Pyfa), `gamedata_session.query(Item)`: a session named after its database.
// Only calls an HTTP session (`http_session.get(url)`) never makes count.
const PREFIXED_SESSION_CALL = /(?<![\w.])((?:self\.)?[a-z][a-z0-9]{0,30}(?:_[a-z0-9]{1,30}){0,2}_session)\.(add|add_all|commit|flush|rollback|query|merge|refresh|scalars?|execute|begin_nested|no_autoflush|bulk_\w{1,40}|expire(?:_all)?|expunge(?:_all)?|invalidate|dispose|run_sync|stream(?:_scalars)?)\b\(?\s{0,4}([a-z_]\w{0,80})?/;
// A model's manager: Django's `B.objects.create(a_id=1)`, Flask-SQLAlchemy's `Table.query.all()`. Only a mapped
// class has one, so the class is the model even when it is one letter or shares a library class's name.
const MANAGER = /(?<![\w.])(?:[a-z_]\w{0,40}\.)?([A-Z]\w{0,80})\.(?:objects|query)\.(?:[a-z_]\w{0,40})\(/;
// Django's field classes are built in a model's body (`models.BooleanField(default=True)`): never a model.
const FIELD_CLASS = /(?:Field|ForeignKey|ManyToManyField|OneToOneField|Index|UniqueConstraint|CheckConstraint)$/;
// `Result[int](data=1)`, `PluginDaemonBasicResponse[type](**json_response)`: a parametrised class called with fields is a
// generic pydantic model (a mapped class is never subscripted); typing's own names are not.
const GENERIC_CALL = /(?<![\w.])([A-Z]\w{0,80})\[[\w., [\]]{1,120}\]\(\s{0,4}(?:\*\*\w|\w{1,40}\s{0,2}=(?!=))/;
const TYPING_NAMES = /^(?:List|Dict|Set|Tuple|Optional|Union|Type|Sequence|Mapping|Iterable|Annotated|Literal|Callable|TypeAdapter|RootModel)$/;
const SESSION_NO_ATTRIBUTE = /'(?:Async)?Session' object has no attribute '(\w{1,80})'/;
const SCHEMA_CALL = /\b([A-Z]\w{0,80})\.(?:from_orm|model_validate(?:_json)?|parse_obj|model_dump|model_construct)\(/g;
const CLASS_DEF = /\bclass ([A-Z]\w{0,80})\(([^)]{0,200})\)/;
// `db.session.delete(db_scan)`, `await session.commit()`, `self.session.add(item)`
// A session held by an app object or named after the database (`appbuilder.session.query(X)`, Pyramid's
// `dbsession.query(Question)`) and SQLModel's `session.exec(select(Team))` count too.
// Calls a session does not have count too (`await async_session.dispose()` raised `'AsyncSession' object has
// no attribute 'dispose'`): the variable is still the session the snippet must name.
const SESSION_CALL = /(?<![\w.])((?:self\.)?(?:db\.|[a-z][a-z0-9_]{0,30}\.(?=session\.))?(?:session|sess|async_session|db_session|dbsession|db)|self\.db)\.(add|add_all|commit|execute|exec|scalars?|get|delete|merge|flush|refresh|query|rollback|close|begin(?:_nested)?|no_autoflush|bulk_\w{1,40}|expire(?:_all)?|expunge(?:_all)?|invalidate|dispose|connection|run_sync|stream(?:_scalars)?|get_bind)\b\(?\s{0,4}([a-z_]\w{0,80})?/;

// `with session_scope() as db:` / `with SessionLocal() as db:` / `with Session(engine) as s:`: the variable a session
// factory binds for the block is the session the block's statements run on (`db.query(model)`).
const WITH_SESSION = /\bwith\s{1,4}(?:[a-z_]\w{0,40}\.)?\w{0,40}(?:[Ss]ession|_scope|get_db|_db)\w{0,20}\([^()\n]{0,80}\)\s{1,4}as\s{1,4}([a-z_]\w{0,40})\s{0,4}:/;

/**
 * `user.organization.name` -> {variable: user, attr: organization}: the first ORM attribute read.
 * In prose (no code line) only a lone `a.b` counts: `staging.internal`, `django.db.utils`,
 * `pg_hba.conf` and `dialects:postgres.asyncpg` are hosts, modules and files.
 */
export function attributeAccesses(code: string, prose = false): { variable: string; attr: string }[] {
  const out: { variable: string; attr: string }[] = [];
  const stripped = code.replace(TYPE_TAGS, '').replace(/(["'])(?:(?!\1).){0,300}\1/g, '""');
  // `iso.DetectorID = detector.DetectorID`: the read on the right failed, not the write on the left.
  const eq = /(?<![=!<>+\-*/%&|^:])=(?!=)/.exec(stripped);
  const line = eq && !/^\s*(?:if|elif|while|return|assert)\b|\(/.test(stripped.slice(0, eq.index)) ? `${stripped.slice(eq.index + 1)} ${stripped.slice(0, eq.index)}` : stripped;
  const pattern = prose
    ? // `Task reports.build_daily[1f9c...]` is Celery naming a task, not an attribute read.
      /(?<![\w.:/@-])([a-z_]\w{0,80})\.([a-z_]\w{0,80})\b(?![\w.:/([-])/g
    : // `(?!\.[A-Z])` skips module paths of exception types: `asyncpg.exceptions.DataError`.
      /(?<![\w.])([a-z_]\w{0,80})\.([A-Za-z_]\w{0,80})\b(?!\s*\(|\.[A-Z])/g;
  // `[tag.name for tag in article.tags]`: the iterable is read first; the loop variable's attribute
  // belongs to what the iterable yields. Reads of a loop target go last.
  const targets = new Set([...line.matchAll(/\bfor\s+(\w{1,80})\s+in\b/g)].map((t) => t[1]));
  const deferred: { variable: string; attr: string }[] = [];
  for (const m of line.slice(0, 1000).matchAll(pattern)) {
    const variable = m[1] ?? '';
    const attr = m[2] ?? '';
    if (targets.has(variable)) {
      if (!NOT_OBJECTS.has(variable) && !NOT_ATTRIBUTES.has(attr)) deferred.push({ variable, attr });
      continue;
    }
    if (NOT_OBJECTS.has(variable) || NOT_ATTRIBUTES.has(attr) || attr.startsWith('__') || variable.length < 1) continue;
    // A capitalised name after a module is a class (`models.User`), not an attribute read.
    if (/^[A-Z]/.test(attr) && !/^[A-Z][a-z]+[A-Z]|^[A-Z]{2,}[a-z]*$|ID$/.test(attr)) continue;
    out.push({ variable, attr });
  }
  return [...out, ...deferred];
}

/** Finds the class a variable holds from the source shown in the paste. */
export function resolveVariable(variable: string, sources: string[]): string | null {
  const v = variable.replace(/[^\w]/g, '');
  const assign = new RegExp(`\\b${v}\\s*(?::\\s*([A-Z]\\w{0,80}))?\\s*=\\s*(.{0,300})`);
  for (let i = 0; i < sources.length; i++) {
    const line = sources[i] ?? '';
    if (!line.includes(v)) continue;
    const m = assign.exec(line);
    if (!m) continue;
    if (m[1]) return m[1];
    // The value may continue on the next shown lines: `result = (\n await session.execute(select(User)...`
    const multiline = [m[2] ?? '', ...sources.slice(i + 1, i + 4)].join(' ');
    const cls = /\bselect\(\s*([A-Z]\w{0,80})|\.get\(\s*([A-Z]\w{0,80})\s*,|\.query\(\s*([A-Z]\w{0,80})|^\s*([A-Z]\w{0,80})\(/.exec(multiline);
    if (cls) return cls[1] ?? cls[2] ?? cls[3] ?? cls[4] ?? null;
  }
  const loopRe = new RegExp(`\\bfor ${v} in (?:await )?\\w{1,80}\\.(\\w{1,80})`);
  for (const line of sources) {
    if (!line.includes('for ')) continue;
    const loop = loopRe.exec(line);
    if (loop?.[1]) return pascal(singular(loop[1]));
  }
  return null;
}

export function isModelClass(name: string | undefined): name is string {
  return !!name && !LIBRARY_CLASSES.has(name) && !PLUMBING_TYPES.has(name) && !/(?:Error|Exception|Warning)$/.test(name) && !NOT_MODEL_SUFFIX.test(name) && !FIELD_CLASS.test(name) && !/^[A-Z0-9_]{1,80}$/.test(name);
}

/** A class whose manager the line uses: mapped for sure, whatever its name. */
function managedClass(code: string): string | null {
  if (!code.includes('.objects.') && !code.includes('.query.')) return null;
  const m = MANAGER.exec(code);
  return m?.[1] && !/(?:Error|Exception|Warning)$/.test(m[1]) && !/^(?:Session|AsyncSession|Base|Model|DeclarativeBase)$/.test(m[1]) ? m[1] : null;
}

/**
 * A class handed to `.query(...)` is mapped, even when it shares a construct's name: bodhi's
 * `self.db.query(Update).one()` queries its `Update` model, never SQLAlchemy's `update()` construct.
 */
function isQueriedClass(match: string, name: string | undefined): name is string {
  return isModelClass(name) || (!!name && match.startsWith('.query(') && LIBRARY_CLASSES.has(name) && !/^(?:Base|DeclarativeBase|MetaData|Session|AsyncSession|Engine|Connection)$/.test(name));
}

/** Classes a line hands to the ORM or calls on: the model roles only, for lines around the failing one. */
function modelRefs(code: string): { value: string; how: number }[] {
  const refs: { value: string; how: number }[] = [];
  const managed = managedClass(code);
  if (managed) refs.push({ value: managed, how: 0 });
  const ref = CLASS_REF.exec(code);
  if (ref?.[1] && isModelClass(ref[1])) refs.push({ value: ref[1], how: 0 });
  const call = CLASS_CALL.exec(code);
  if (call?.[1] && isModelClass(call[1])) refs.push({ value: call[1], how: 0.1 });
  for (const re of [SELECT_GET, SESSION_CLASS]) for (const m of code.matchAll(re)) { const name = m[1] ?? m[2]; if (isQueriedClass(m[0], name)) refs.push({ value: name, how: 0.08 }); }
  const arg = SESSION_ARG.exec(code) ?? QUERY_CHAIN.exec(code) ?? LOOKUP_ARG.exec(code);
  if (arg?.[1] && isModelClass(arg[1])) refs.push({ value: arg[1], how: 0.1 });
  return refs;
}

function readLine(ctx: NameContext, line: CodeLine, rank: number, out: NameFinding[]): void {
  // In prose a quoted name is what a message quoted (coroutine `'AsyncCursor.close'` was never awaited),
  // not a read in the poster's code: the message and mapper sources read those.
  const code = ctx.prose ? line.code.replace(TYPE_TAGS, '').replace(/`?'[\w.]{1,200}'`?/g, '""') : line.code.replace(TYPE_TAGS, '');
  // The user's own failing line first; a line of another link, or of an installed app, after it.
  const base = (line.user ? 0.85 : 0.65) - Math.min(rank, 3) * 0.02;
  const ev = code.trim().slice(0, 160);
  const managed = managedClass(code);
  if (managed) out.push({ role: 'model', value: managed, source: 'code', confidence: base, evidence: ev });
  const classRef = CLASS_REF.exec(code);
  if (classRef?.[1] && classRef[2] && isModelClass(classRef[1])) {
    const group = ctx.group();
    out.push({ role: 'model', value: classRef[1], source: 'code', confidence: base, group, evidence: ev });
    // `Invoice.query` names the model; `query` is a manager, not one of its attributes.
    if (!NOT_ATTRIBUTES.has(classRef[2])) out.push({ role: 'attribute', value: classRef[2], source: 'code', confidence: base, group, evidence: ev });
  }
  const call = !classRef ? CLASS_CALL.exec(code) : null;
  if (call?.[1] && isModelClass(call[1])) out.push({ role: 'model', value: call[1], source: 'code', confidence: base - 0.1, evidence: ev });
  const arg = SESSION_ARG.exec(code) ?? QUERY_CHAIN.exec(code) ?? LOOKUP_ARG.exec(code);
  if (arg?.[1] && isModelClass(arg[1])) out.push({ role: 'model', value: arg[1], source: 'code', confidence: base - 0.1, evidence: ev });
  const response = code.includes('response_model') ? RESPONSE_MODEL.exec(code) : null;
  const responseSchema = response?.[1] ? schemaInHeader(response[1]) : null;
  if (responseSchema && !LIBRARY_CLASSES.has(responseSchema)) out.push({ role: 'schema', value: responseSchema, source: 'code', confidence: base - 0.05, evidence: ev });
  // Classical mapping: `mapper(model.OrderLine, order_lines)`, `registry.map_imperatively(User, user_table)` name the
  // class being mapped; `model.OrderLine` there is a class in its module, not an attribute read.
  const mapped = code.includes('map') ? CLASSICAL_MAPPING.exec(code) : null;
  if (mapped?.[1]) out.push({ role: 'model', value: mapped[1], source: 'code', confidence: base, evidence: ev });
  const first = attributeAccesses(code, ctx.prose).filter((a) => a.attr !== mapped?.[1])[0];
  if (first) {
    const group = ctx.group();
    out.push({ role: 'attribute', value: first.attr, source: 'code', confidence: base - 0.03, group, evidence: ev });
    out.push({ role: 'variable', value: first.variable, source: 'code', confidence: base - 0.03, evidence: ev });
    const resolved = resolveVariable(first.variable, ctx.source);
    if (resolved && isModelClass(resolved)) out.push({ role: 'model', value: resolved, source: 'code', confidence: base - 0.05, group, evidence: ev });
    // `fleet_model.project`: the variable's name is the usual snake_case of its class, a guess.
    else if (!GENERIC_VARIABLES.has(first.variable)) out.push({ role: 'model', value: pascal(first.variable), source: 'code', confidence: base - 0.3, group, guess: true, evidence: ev });
  }
  // A model's own method reading its relationship: `return self.booking.owner_id` in data_models.py.
  const own = !first && /models?\b|models?[\\/]/i.test(line.frame?.file ?? '') ? /(?<![\w.])self\.([a-z_]\w{0,80})\b(?!\s*\()/.exec(code) : null;
  if (own?.[1] && !NOT_OBJECTS.has(own[1]) && !NOT_ATTRIBUTES.has(own[1])) out.push({ role: 'attribute', value: own[1], source: 'code', confidence: base - 0.15, evidence: ev });
  for (const m of code.matchAll(SELECT_GET)) {
    const name = m[1] ?? m[2];
    if (isModelClass(name)) out.push({ role: 'model', value: name, source: 'code', confidence: base - 0.08, evidence: ev });
  }
  for (const m of code.matchAll(SESSION_CLASS)) if (isQueriedClass(m[0], m[1])) out.push({ role: 'model', value: m[1], source: 'code', confidence: base - 0.1, evidence: ev });
  // A class named in lower case (`class softsn(Model):`) is still the queried class when the paste defines it:
  // `appbuilder.session.query(softsn).first()`.
  const lower = code.includes('.query(') ? QUERY_LOWER.exec(code) : null;
  if (lower?.[1] && !NOT_OBJECTS.has(lower[1]) && ctx.text.includes(`class ${lower[1]}(`)) out.push({ role: 'model', value: lower[1], source: 'code', confidence: base - 0.1, evidence: ev });
  for (const m of code.matchAll(ADDED_OBJECT)) if (isModelClass(m[1])) out.push({ role: 'model', value: m[1], source: 'code', confidence: base - 0.1, evidence: ev });
  for (const m of code.matchAll(CONSTRUCTOR)) {
    const name = m[1] ?? '';
    if (LIBRARY_CLASSES.has(name) || /(?:Error|Exception|Warning)$/.test(name) || FIELD_CLASS.test(name)) continue;
    if (NOT_MODEL_SUFFIX.test(name)) out.push({ role: 'schema', value: name, source: 'code', confidence: base - 0.12, evidence: ev });
    else out.push({ role: 'model', value: name, source: 'code', confidence: base - 0.12, evidence: ev });
  }
  const made = NEW_OBJECT.exec(code);
  if (made?.[1] && isModelClass(made[1])) out.push({ role: 'model', value: made[1], source: 'code', confidence: base - 0.15, evidence: ev });
  const session = SESSION_CALL.exec(code) ?? (code.includes('_session.') ? PREFIXED_SESSION_CALL.exec(code) : null);
  if (session?.[1]) {
    // The session a statement runs on (`db.query(model)`, `session.execute(stmt)`) outranks one a helper only commits,
    // rolls back or closes (`session.commit()` inside a `session_scope()` that yields it to `with session_scope() as db:`).
    const lifecycle = /^(?:commit|rollback|close|begin|flush|invalidate|dispose|expire_all|expunge_all)$/.test(session[2] ?? '');
    out.push({ role: 'session', value: session[1], source: 'code', confidence: base - (lifecycle ? 0.08 : 0.05), evidence: ev });
    // `db.session.delete(db_scan)`: the object handed to the session. It may be the wrong object
    // (a schema, a query): a snippet naming a new instance after the model outranks it.
    if (session[3] && /^(?:add|delete|merge|refresh|expunge)$/.test(session[2] ?? '') && !NOT_OBJECTS.has(session[3])) out.push({ role: 'variable', value: session[3], source: 'code', confidence: 0.25, evidence: ev });
  }
}

/** Code lines in the frames: the user's failing line, then the other shown source. */
export const codeSource: NameSource = {
  id: 'code',
  describe: 'code lines in the frames: Class.attr, variable.attr (resolved through the shown source), select(X), X(...), session calls',
  find(ctx: NameContext, out: NameFinding[]): void {
    const before = out.length;
    // The read Python says failed: `x.rel.attr` where `attr` is the missing attribute.
    const failed = ctx.primary ? FAILED_ATTRIBUTE.exec(`${ctx.primary.message} ${ctx.text.slice(0, 2000)}`) : null;
    if (failed?.[1]) {
      const read = new RegExp(`(?<![\\w.])([a-z_]\\w{0,80})\\.([a-z_]\\w{0,80})\\.${failed[1]}\\b`);
      const lines = ctx.failing.length ? ctx.failing.map((l) => l.code) : ctx.parsed.lines.slice(0, 20);
      for (const line of lines) {
        const m = read.exec(line);
        if (!m?.[1] || NOT_OBJECTS.has(m[1]) || NOT_ATTRIBUTES.has(m[2] ?? '')) continue;
        const group = ctx.group();
        out.push({ role: 'variable', value: m[1], source: 'code', confidence: 0.86, evidence: m[0] });
        out.push({ role: 'attribute', value: m[2] ?? '', source: 'code', confidence: 0.86, group, evidence: m[0] });
        break;
      }
    }
    // `'AsyncSession' object has no attribute 'dispose'` on `await repo_session.dispose()`: whatever the variable is
    // called, it holds the session.
    const sessionMiss = ctx.primary && ctx.text.includes('Session') ? SESSION_NO_ATTRIBUTE.exec(`${ctx.primary.message} ${ctx.text.slice(0, 4000)}`) : null;
    if (sessionMiss?.[1]) {
      const call = new RegExp(`(?<![\\w.])((?:self\\.)?[a-z_]\\w{0,60}(?:\\.[a-z_]\\w{0,60})?)\\.${sessionMiss[1]}\\(`);
      for (const line of ctx.failing) {
        const m = call.exec(line.code);
        if (m?.[1] && !/^(?:self|cls)$/.test(m[1])) { out.push({ role: 'session', value: m[1], source: 'code', confidence: 0.84, evidence: line.code.trim().slice(0, 160) }); break; }
      }
    }
    // A failed doctest prints the example that failed (`Failed example:` / `    bob.name`): the user's failing line.
    const doctest = ctx.text.includes('Failed example:') ? /^[ \t]{0,8}Failed example:[ \t]{0,4}\n[ \t]{0,12}(?:>>> )?(\S[^\n]{0,300})$/m.exec(ctx.text) : null;
    if (doctest?.[1]) readLine(ctx, { code: doctest[1], user: true, frame: null }, 0, out);
    ctx.failing.forEach((line, rank) => readLine(ctx, line, rank, out));
    // No class in the failing line (`return query.scalar()`): the frames that called it may name one.
    if (!out.slice(before).some((f) => f.role === 'model' && !f.guess)) {
      ctx.outer.forEach((line, rank) => {
        for (const ref of modelRefs(line.code.replace(TYPE_TAGS, ''))) out.push({ role: 'model', value: ref.value, source: 'code', confidence: 0.7 - ref.how - Math.min(rank, 3) * 0.03, evidence: line.code.trim().slice(0, 160) });
      });
    }
    // Schemas and models the shown source names: `UserOut.from_orm(user)`, `class ExecResult(SQLModel, table=True)`.
    const all = [...ctx.failing.map((l) => l.code), ...ctx.source];
    // Cheap word checks first: most shown lines are library code none of these patterns match.
    for (const line of all) {
      const generic = line.includes('](') ? GENERIC_CALL.exec(line) : null;
      if (generic?.[1] && !TYPING_NAMES.test(generic[1])) out.push({ role: 'schema', value: generic[1], source: 'code', confidence: 0.78, evidence: line.trim().slice(0, 160) });
      if (line.includes('from_orm') || line.includes('model_') || line.includes('parse_obj')) {
        for (const m of line.matchAll(SCHEMA_CALL)) out.push({ role: 'schema', value: m[1] ?? '', source: 'code', confidence: 0.8, evidence: line.trim().slice(0, 160) });
      }
      const def = line.includes('class ') ? CLASS_DEF.exec(line) : null;
      if (def?.[1]) {
        const bases = def[2] ?? '';
        const table = /\btable\s*=\s*True/.test(bases);
        if (/\b(?:BaseModel|BaseSettings|RootModel|GenericModel)\b/.test(bases) || (/\bSQLModel\b/.test(bases) && !table)) out.push({ role: 'schema', value: def[1], source: 'code', confidence: 0.8, evidence: line.trim() });
        else if (/\b(?:Base|Model|DeclarativeBase|SQLModel|db\.Model)\b/.test(bases)) out.push({ role: 'model', value: def[1], source: 'code', confidence: 0.8, evidence: line.trim() });
      }
    }
    // A pydantic model defined or parametrised anywhere in a short paste (the poster's snippet above the error,
    // `class MyModel(GenericModel, Generic[MsgT])`, `MyModel[MessageModel](message='{}')`): a schema, below what the frames say.
    if (ctx.parsed.lines.length <= 200 && !out.slice(before).some((f) => f.role === 'schema')) {
      for (const line of ctx.parsed.lines) {
        const def = line.includes('class ') ? CLASS_DEF.exec(line) : null;
        if (def?.[1] && /\b(?:BaseModel|BaseSettings|GenericModel)\b/.test(def[2] ?? '') && !/\btable\s*=\s*True/.test(def[2] ?? '')) { out.push({ role: 'schema', value: def[1], source: 'code', confidence: 0.7, evidence: line.trim().slice(0, 160) }); break; }
        const generic = line.includes('](') ? GENERIC_CALL.exec(line) : null;
        if (generic?.[1] && !TYPING_NAMES.test(generic[1])) { out.push({ role: 'schema', value: generic[1], source: 'code', confidence: 0.7, evidence: line.trim().slice(0, 160) }); break; }
      }
    }
    // pytest shows the test's source above the failing line: `result = await session.execute(select(User))`.
    for (const line of ctx.source) {
      if (!line.includes('select(') && !line.includes('.get(') && !line.includes('.query(')) continue;
      const m = /\bselect\(\s*([A-Z]\w{0,80})|\.get\(\s*([A-Z]\w{0,80})\s*,|\.query\(\s*(?:[a-z_]\w{0,40}\.)?([A-Z]\w{0,80})/.exec(line);
      const name = m ? m[1] ?? m[2] ?? m[3] : undefined;
      if (isModelClass(name)) { out.push({ role: 'model', value: name, source: 'code', confidence: 0.6, evidence: line.trim().slice(0, 160) }); break; }
      const lower = QUERY_LOWER.exec(line);
      if (lower?.[1] && !NOT_OBJECTS.has(lower[1]) && ctx.text.includes(`class ${lower[1]}(`)) { out.push({ role: 'model', value: lower[1], source: 'code', confidence: 0.6, evidence: line.trim().slice(0, 160) }); break; }
    }
    for (const line of ctx.source) {
      if (!line.includes('.add') && !line.includes('.merge(')) continue;
      for (const m of line.matchAll(ADDED_OBJECT)) if (isModelClass(m[1])) out.push({ role: 'model', value: m[1], source: 'code', confidence: 0.6, evidence: line.trim().slice(0, 160) });
    }
    if (ctx.parsed.lines.length <= 200 && ctx.text.includes('with ')) {
      for (const [i, line] of ctx.parsed.lines.entries()) {
        const bound = line.includes(' as ') ? WITH_SESSION.exec(line) : null;
        if (!bound?.[1] || /^(?:self|cls|_)$/.test(bound[1])) continue;
        const call = new RegExp(`(?<![\\w.])${bound[1]}\\.(?:query|execute|exec|scalars?|get|add|add_all|delete|merge|refresh)\\(`);
        const used = ctx.parsed.lines.slice(i + 1, i + 12).find((l) => call.test(l));
        if (used) { out.push({ role: 'session', value: bound[1], source: 'code', confidence: 0.79, evidence: used.trim().slice(0, 160) }); break; }
      }
    }
    for (const line of ctx.source) {
      if (!line.includes('sess') && !line.includes('db.')) continue;
      const session = SESSION_CALL.exec(line);
      if (session?.[1]) { out.push({ role: 'session', value: session[1], source: 'code', confidence: 0.6, evidence: line.trim().slice(0, 160) }); break; }
    }
  },
  examples: [
    { source: 'https://github.com/tsatsujnr139/fastapi-role-based-access-control-auth-service/issues/3', input: 'psycopg2.errors.UndefinedColumn: column accounts.plan_id does not exist\n\nTraceback (most recent call last):\n  File "/app/app/crud/crud_account.py", line 11, in get_by_name\n    return db.query(self.model).filter(Account.name == name).first()\n  File "/usr/local/lib/python3.8/site-packages/sqlalchemy/orm/query.py", line 3397, in first\n    ret = list(self[0:1])', expect: { model: 'Account' } },
    { source: 'https://github.com/dstackai/dstack/issues/3660', input: '  File "/dstack/src/dstack/_internal/server/services/fleets.py", line 863, in fleet_model_to_fleet\n    project_name=fleet_model.project.name,\n  File "/dstack/.venv/lib64/python3.10/site-packages/sqlalchemy/orm/attributes.py", line 566, in __get__\n    return self.impl.get(state, dict_)', expect: { variable: 'fleet_model', attribute: 'project' } },
    { source: 'https://github.com/TIGRLab/admin/issues/922', input: 'Traceback (most recent call last):\n  File "/archive/code/datman/datman/dashboard.py", line 234, in delete_extra_scans\n    db.session.delete(db_scan)\n  File "/opt/quarantine/python-extras/2.7.10/build/sqlalchemy/orm/session.py", line 1710, in delete\n    raise exc.UnmappedInstanceError(instance)\nsqlalchemy.orm.exc.UnmappedInstanceError: Class \'flask_sqlalchemy.BaseQuery\' is not mapped', expect: { session: 'db.session', variable: 'db_scan' } },
  ],
};
