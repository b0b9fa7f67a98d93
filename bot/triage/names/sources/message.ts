import { LIBRARY_CLASSES } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// Error-type tags name no model: pydantic v1 `(type=type_error.none.not_allowed)`, v2 `'type': 'missing'`.
export const TYPE_TAGS = /\(?type=[\w.]{1,120}\)?|'type': '[\w.]{1,120}'/g;
// `<app.models.Order object at 0x7f..>`, `<Post at 0x10e4fc4d0>`, `<Bleh at (addr)>` (an address the poster elided),
// `<Object at 0xxxxxxxxxxxx>` (masked), doctest's `<User at ...>` and `<User at 0x...>` (ELLIPSIS patterns).
// The address as printed, or as a poster masked or cut it: `0x7f..`, `(addr)`, `...`, and `XX`, `XXXX`, `***`, `0x7f...`, `0x…`
// (airflow#18936's title: `Parent instance <User at XX> is not bound to a Session`).
const MASKED_ADDRESS = String.raw`[Xx]{2,16}|\*{2,16}|0x[0-9a-fA-F]{0,16}(?:\.{2,3}|…)|…`;
const ADDRESS = String.raw`(?:0x[0-9a-fA-FxX]{4,16}|\([a-z]{1,12}\)|(?:0x)?\.\.\.|${MASKED_ADDRESS})`;
const REPR = new RegExp(String.raw`<(?:[\w.]{1,200}\.)?([A-Za-z_]\w{0,80})(?: object)? at ${ADDRESS}>`, 'g');
// `Parent instance <Post at 0x..>`, `Instance '<Order at\n0x..>'`: the object the ORM error is about.
const INSTANCE_REPR = new RegExp(String.raw`\b(?:[Pp]arent instance|Instance) '?<(?:[\w.]{1,200}\.)?([A-Za-z_]\w{0,80})(?: object)? at\s{1,3}${ADDRESS}>`);
// `Instance AuthorizedUser is not bound`, `DetachedInstanceError: OAuthToken is not bound to a Session`.
const INSTANCE_BARE = /(?:\bInstance |Error: )([A-Z]\w{0,80}) is not bound to a Session/;
const OF_ATTRIBUTE = /of attribute '(\w{1,80})'/;
// `<User(name='ed', fullname='Ed Jones')>` and pytest's locals `instance = Person(name='John')`.
const FIELD_REPR = /<([A-Z]\w{0,80})\(\w{1,40}=|(?:\b(?:instance|obj|input)|'input')\s?[=:]\s?([A-Z]\w{0,80})\(\w{1,40}=/g;
const INPUT_TYPE = /input_type=([A-Z]\w{0,80})/g;
// Django names the model in its own wording: `ProjectComplete matching query does not exist.`,
// `get() returned more than one Issue -- it returned 2!`, `User has no profile.` (RelatedObjectDoesNotExist).
const DJANGO_MODEL = /\b([A-Z]\w{0,80}) matching query does not exist|get\(\) returned more than one ([A-Z]\w{0,80}) --/;
// loaddata: `IntegrityError: Could not load articles.Article(pk=3): NOT NULL constraint failed: ...` (app_label.Model).
// SQLAlchemy's proxy errors name the class attribute: `Neither 'InstrumentedAttribute' object nor 'Comparator'
// object associated with Search.query has an attribute 'filter'`.
const ASSOCIATED = /\bobject associated with ([A-Z]\w{0,80})\.(\w{1,80}) has an attribute '/;
const DJANGO_LOAD = /\bCould not load [a-z_]\w{0,80}\.([A-Z]\w{0,80})\(pk=/;
// Django's debug page prints the type and the message on rows of their own: `Exception Type: RelatedObjectDoesNotExist at
// /api/v1/user` / `Exception Value: User has no profile.` (copied from the page's table, the value may follow a tab and a
// line break: `Exception Value:\t` / `'super' object has no attribute ...`, tendenci#373).
// The page's title row puts the path after the type (`RelatedObjectDoesNotExist at /new/studio/` / `StudioAppointment has
// no who.`), and a poster copying the value row may drop its full stop (`Exception Value: User has no profile `).
const DJANGO_RELATED = /(?:RelatedObjectDoesNotExist(?::| at \S{1,200})|Exception Value:)[ \t]{0,4}\n?[ \t]{0,8}([A-Z]\w{0,80}) has no (?!attribute\b)([a-z_]\w{0,80})(?:\.|[ \t]{0,4}$)/m;
// asyncio: `Task exception was never retrieved / future: <Task finished coro=<Scheduler.queue_manager() done, ...`.
const TASK_CORO = /\bcoro=<(?:[\w.]{1,200}<locals>\.){0,5}(?:[\w]{1,100}\.){0,5}(\w{1,100})\(\) (?:done|running)/;
// Celery: `Received unregistered task of type 'tapir.accounts.tasks.send_reminder'` (or `KeyError('...')`): the task function.
const UNREGISTERED_TASK = /unregistered task of type (?:KeyError\()?u?'(?:[\w]{1,100}\.){0,20}(\w{1,100})'/;

// Django's FieldError on a lookup: `Cannot resolve keyword 'status' into field. Choices are: created_at, ...`: the
// keyword is the attribute the query asked the model for (the model is the queryset's, read from the code line).
// Django 1.x formats the keyword with `%r`, so under Python 2 a unicode name prints as `u'start_date'` (django-oscar#1081:
// `Cannot resolve keyword u'start_date' into field.`); the prefix is the repr's, not the name's.
const DJANGO_KEYWORD = /\bCannot resolve keyword u?'(\w{1,80})' into field/;

// SQLAlchemy's attribute lookups by name (orm/base.py, sql/base.py, orm/mapper.py): `Entity namespace for "A.id" has no property
// "other"` (filter_by() on the last entity joined, which may be a column: `"A.id"`, `"a_1"`), `Mapper 'Mapper[User(users)]' has
// no property 'adress'`, `Entity '<class 'app.User'>' has no property 'x'`: the quoted property is the attribute asked for; the
// namespace before it is where it was looked up, not the attribute.
const HAS_NO_PROPERTY = /\b(?:Entity namespace for ["'][^"'\n]{1,200}["']|Mapper ['"][^'"\n]{1,200}['"]|Entity '<class '[\w.]{1,300}'>') has no property ["'](\w{1,100})["']/;

// Django's other wordings about a field a query or a form asked for (django/db/models: sql/compiler.py, query.py, options.py):
// `Invalid field name(s) given in select_related: 'primary_ip'. Choices are: ...` (the first named), `Non-relational field given
// in select_related: 'x'`, `'x' does not resolve to an item that supports prefetching`: the attribute; `Invalid field name(s) for
// model Team: 'x'.`, `Cannot find 'x' on Team object, 'x' is an invalid parameter to prefetch_related()`, FieldDoesNotExist's
// `Team has no field named 'x'` (`'app.Team' has no field named 'x'` from a form): the model and its attribute. The `%r` ones
// (`has no field named %r`, `Cannot find %r on`) print Python 2's unicode repr: `ActionCondtion has no field named u'severity'`.
const DJANGO_FIELD_ONLY = /\b(?:Invalid field name\(s\) given in select_related|Non-relational field given in select_related): '(\w{1,80})'|'(\w{1,200})' does not resolve to an item that supports prefetching/;
const DJANGO_FIELD_OF_MODEL = /\bInvalid field name\(s\) for model ([A-Z]\w{0,80}): '(\w{1,80})'|\bCannot find u?'(\w{1,80})' on ([A-Z]\w{0,80}) object, u?'[\w]{1,200}' is an invalid parameter to prefetch_related|(?:^|[\s:'])(?:[a-z_]\w{0,80}\.)?([A-Z]\w{0,80})'? has no field named u?'(\w{1,80})'/m;

function djangoFieldNames(texts: string[], ctx: NameContext, out: NameFinding[]): void {
  const words = /select_related|prefetch|Invalid field name|has no field named/;
  const found = texts.filter((t) => words.test(t));
  const only = found.map((t) => DJANGO_FIELD_ONLY.exec(t)).find((m) => m);
  const attr = only?.[1] ?? only?.[2];
  if (only && attr) out.push({ role: 'attribute', value: attr, source: 'message', confidence: 0.92, evidence: only[0] });
  const of = found.map((t) => DJANGO_FIELD_OF_MODEL.exec(t)).find((m) => m);
  const model = of?.[1] ?? of?.[4] ?? of?.[5];
  const field = of?.[2] ?? of?.[3] ?? of?.[6];
  if (!of || !model || !field || !isModelName(model)) return;
  const group = ctx.group();
  out.push({ role: 'model', value: model, source: 'message', confidence: 0.92, group, evidence: of[0].trim() });
  out.push({ role: 'attribute', value: field, source: 'message', confidence: 0.92, group, evidence: of[0].trim() });
}

// An object the driver could not bind, as SQLAlchemy's `[parameters: ...]` trailer shows it: the user passed a model instance
// where a column value belongs (`user_id=current_user` for `current_user.id`), and its class's own `__repr__` prints it with
// its field values: `[parameters: ('History', 'Treatment', '$100', <User 1>)]` (Flask-SQLAlchemy's tutorial `<User %r>`),
// `<Price of value 360>`, `<Team(id='3', name='x')>`. A repr in the trailer names a class of the user's, not a library's.
const PARAMETER_REPR = /<([A-Z]\w{0,80})(?:[ (:][^<>\n]{0,200})?>/g;

function boundObjectModels(ctx: NameContext, out: NameFinding[]): void {
  const at = ctx.text.indexOf('[parameters: ');
  if (at < 0 || !ctx.text.includes('<', at)) return;
  const trailer = ctx.text.slice(at, at + 3000);
  const end = trailer.search(/\]\s*(?:\(Background|\n|$)/);
  for (const m of (end > 0 ? trailer.slice(0, end) : trailer).matchAll(PARAMETER_REPR)) {
    // `<Foo object at 0x..>` / `<Foo at 0x..>` are the address reprs REPR reads; only a repr printing its own fields counts here.
    if (!isModelName(m[1]) || / at (?:0x|\.\.\.)/.test(m[0])) continue;
    out.push({ role: 'model', value: m[1], source: 'message', confidence: 0.8, evidence: m[0].slice(0, 160) });
    return;
  }
}

// automap names each class after its table: `UnmappedClassError: sqlalchemy.ext.automap.content_contentnode is not mapped`
// (also `Class 'sqlalchemy.ext.automap.x' is not mapped`). The class is shown; its table is the same name by automap's rule.
const AUTOMAP_CLASS = /\bsqlalchemy\.ext\.automap\.([A-Za-z_]\w{0,80})'? is not mapped/;

function isModelName(name: string | undefined): name is string {
  return !!name && !LIBRARY_CLASSES.has(name) && !/(?:Error|Exception|Warning)$/.test(name);
}

/** Exception messages and the reprs inside them: the object an ORM error is about. */
export const messageSource: NameSource = {
  id: 'message',
  describe: 'exception messages and the reprs in them (<Order at 0x..>, Instance X is not bound, of attribute \'y\')',
  find(ctx: NameContext, out: NameFinding[]): void {
    ctx.ordered.forEach((record, rank) => {
      const text = record.message.slice(0, 4000).replace(TYPE_TAGS, '');
      // The primary error's object outranks one quoted from another link of the chain.
      const top = rank === 0 ? 0 : 0.05;
      const inst = INSTANCE_REPR.exec(text) ?? INSTANCE_BARE.exec(text);
      const attr = OF_ATTRIBUTE.exec(text);
      const group = ctx.group();
      if (inst?.[1] && isModelName(inst[1])) out.push({ role: 'model', value: inst[1], source: 'message', confidence: 0.95 - top, group, evidence: inst[0] });
      if (attr?.[1]) out.push({ role: 'attribute', value: attr[1], source: 'message', confidence: 0.92 - top, group: inst ? group : undefined, evidence: attr[0] });
      for (const m of text.matchAll(REPR)) {
        if (isModelName(m[1]) && /^[A-Z]/.test(m[1])) out.push({ role: 'model', value: m[1], source: 'message', confidence: 0.85 - top, evidence: m[0] });
      }
      for (const m of text.matchAll(FIELD_REPR)) {
        const name = m[1] ?? m[2];
        if (isModelName(name)) out.push({ role: 'model', value: name, source: 'message', confidence: 0.75 - top, evidence: m[0] });
      }
      for (const m of text.matchAll(INPUT_TYPE)) {
        if (isModelName(m[1]) && !/^(?:dict|str|int|list|NoneType|float|bool|tuple)$/.test(m[1])) out.push({ role: 'model', value: m[1], source: 'message', confidence: 0.7 - top, evidence: m[0] });
      }
    });
    // The class Django names is the model even when it shares a library class's name (`Query`, `Session`).
    const texts = [...ctx.ordered.map((r) => r.message.slice(0, 2000)), ctx.text];
    // The ORM's own wording about an instance, in a line no record was read from (a title in front of the
    // traceback, `chat error: Instance <App at 0x7f62402c30> is not bound to a Session`): the class is the model,
    // whatever library class it shares its name with.
    if (!out.some((f) => f.role === 'model' && f.source === 'message') && (ctx.text.includes('nstance <') || ctx.text.includes("nstance '<"))) {
      const inst = INSTANCE_REPR.exec(ctx.text);
      if (inst?.[1] && !/(?:Error|Exception|Warning)$/.test(inst[1])) out.push({ role: 'model', value: inst[1], source: 'message', confidence: 0.9, evidence: inst[0] });
    }
    const automap = ctx.text.includes('automap.') ? AUTOMAP_CLASS.exec(ctx.text) : null;
    if (automap?.[1]) {
      out.push({ role: 'model', value: automap[1], source: 'message', confidence: 0.9, evidence: automap[0] });
      out.push({ role: 'table', value: automap[1], source: 'derived', confidence: 0.35, guess: true, evidence: automap[0] });
    }
    const django = texts.map((t) => (t.includes('matching query') || t.includes('more than one') ? DJANGO_MODEL.exec(t) : null)).find((m) => m);
    if (django) out.push({ role: 'model', value: django[1] ?? django[2] ?? '', source: 'message', confidence: 0.93, evidence: django[0] });
    const associated = texts.map((t) => (t.includes('associated with ') ? ASSOCIATED.exec(t) : null)).find((m) => m);
    if (associated?.[1] && associated[2] && isModelName(associated[1])) {
      const group = ctx.group();
      out.push({ role: 'model', value: associated[1], source: 'message', confidence: 0.9, group, evidence: associated[0] });
      out.push({ role: 'attribute', value: associated[2], source: 'message', confidence: 0.9, group, evidence: associated[0] });
    }
    const load = texts.map((t) => (t.includes('Could not load ') ? DJANGO_LOAD.exec(t) : null)).find((m) => m);
    if (load?.[1]) out.push({ role: 'model', value: load[1], source: 'message', confidence: 0.9, evidence: load[0] });
    // The record's own message when its type says so (`users.models.User.profile.RelatedObjectDoesNotExist` over a page the
    // parser read): `User has no profile.`
    const relatedRecord = ctx.ordered.find((r) => r.type.endsWith('RelatedObjectDoesNotExist'));
    const related = (relatedRecord ? /^([A-Z]\w{0,80}) has no ([a-z_]\w{0,80})\./.exec(relatedRecord.message) : null) ?? (ctx.text.includes('RelatedObjectDoesNotExist') || ctx.text.includes('Exception Value:') || texts.some((t) => t.includes('RelatedObjectDoesNotExist')) ? texts.map((t) => (t.includes(' has no ') ? DJANGO_RELATED.exec(t) : null)).find((m) => m) : undefined);
    if (related?.[1] && related[2]) {
      const group = ctx.group();
      out.push({ role: 'model', value: related[1], source: 'message', confidence: 0.9, group, evidence: related[0] });
      out.push({ role: 'attribute', value: related[2], source: 'message', confidence: 0.9, group, evidence: related[0] });
    }
    const noProperty = texts.map((t) => (t.includes(' has no property ') ? HAS_NO_PROPERTY.exec(t) : null)).find((m) => m);
    if (noProperty?.[1]) out.push({ role: 'attribute', value: noProperty[1], source: 'message', confidence: 0.95, evidence: noProperty[0].slice(0, 160) });
    const keyword = texts.map((t) => (t.includes('Cannot resolve keyword') ? DJANGO_KEYWORD.exec(t) : null)).find((m) => m);
    if (keyword?.[1]) out.push({ role: 'attribute', value: keyword[1], source: 'message', confidence: 0.9, evidence: keyword[0] });
    djangoFieldNames(texts, ctx, out);
    boundObjectModels(ctx, out);
    const coro = ctx.text.includes('coro=<') ? TASK_CORO.exec(ctx.text) : null;
    if (coro?.[1]) out.push({ role: 'function', value: coro[1], source: 'message', confidence: 0.8, evidence: coro[0] });
    const task = ctx.text.includes('unregistered task') ? UNREGISTERED_TASK.exec(ctx.text) : null;
    if (task?.[1]) out.push({ role: 'function', value: task[1], source: 'message', confidence: 0.85, evidence: task[0] });
    // pytest prints the locals of the failing frame: `instance = Person(name='John')`.
    const locals = ctx.text.includes(' = <') || ctx.text.includes('instance = ');
    for (const line of locals ? ctx.parsed.lines : []) {
      if (!line.includes(' = ') || (!/^\S{1,40} = /.test(line) && !line.includes(', instance = '))) continue;
      for (const m of line.matchAll(FIELD_REPR)) {
        const name = m[1] ?? m[2];
        if (isModelName(name)) out.push({ role: 'model', value: name, source: 'message', confidence: 0.72, evidence: m[0] });
      }
    }
  },
  examples: [
    { source: 'https://github.com/flaskbb/flaskbb/issues/33', input: "DetachedInstanceError: Parent instance <Post at 0x10e4fc4d0> is not bound to a Session; lazy load operation of attribute 'topic' cannot proceed", expect: { model: 'Post', attribute: 'topic' } },
    { source: 'https://github.com/ets-berkeley-edu/boac/pull/618', input: 'DetachedInstanceError: Instance AuthorizedUser is not bound to a Session; attribute refresh operation cannot proceed', expect: { model: 'AuthorizedUser' } },
    { source: 'https://github.com/apache/superset/pull/3159', input: "sqlalchemy.orm.exc.ObjectDeletedError: Instance '<PermissionView at\n0x7f10306b0e90>' has been deleted, or its row is otherwise not present.", expect: { model: 'PermissionView' } },
    { source: 'https://github.com/sqlalchemy/sqlalchemy/issues/6900', input: 'sqlalchemy.orm.exc.FlushError: Instance <Bleh at (addr)> has a NULL identity key.', expect: { model: 'Bleh' } },
  ],
};
