import { bareClass, PLUMBING_TYPES } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// `TypeError: object Report can't be used in 'await' expression`; without "object" on 3.x builds too. A title may be cut
// before the last word (`...LangfuseResponseGeneratorSync can't be used in 'await'` ending the line): nothing else ends so.
const NOT_AWAITABLE = /\b(?:object )?([A-Za-z_]\w{0,80}) can't be used in 'await'(?: expression|[ \t]{0,4}(?:\n|$))/;
// Markdown may wrap the quoted name in backticks: coroutine `'AsyncCursor.close'` was never awaited. A terminal or a
// log formatter may wrap the warning after `coroutine` (`RuntimeWarning: coroutine` / `    'A.__getattr__.<locals>._offloaded' was never awaited`).
const NEVER_AWAITED = /coroutine\s{1,20}`?'([\w.<>]{1,200})'`?\s{1,20}was never awaited/;
// A coroutine object's own repr: `Exception ignored in: <coroutine object test_x.<locals>.coro at 0x7f42...>` (the unawaited
// coroutine finalised, its `was never awaited` line cut or logged elsewhere), pydantic's `input_value=<coroutine object
// get_user at 0x...>`: a coroutine that was created and never awaited. Read less surely than the warning's own wording.
const COROUTINE_REPR = /<coroutine object ([\w.<>]{1,200}) at 0x[0-9a-fA-F]{1,16}>/;
// `'User' object has no attribute 'followers'`, `type object 'Post' has no attribute '_sa_instance_state'`
const NO_ATTRIBUTE = /(?:type object |^|[\s(:])'([A-Za-z_]\w{0,80})'(?: object)? has no attribute '(\w{1,80})'/m;
// mypy and pyright quote with double quotes: `error: "A" has no attribute "bs"`.
const NO_ATTRIBUTE_TYPED = /(?:^|[\s(:])"([A-Za-z_]\w{0,80})" has no attribute "(\w{1,80})"/m;
// `'timestamp' is an invalid keyword argument for Post`, `Scene() got an unexpected keyword argument 'studio'`,
// mypy's `Unexpected keyword argument "title" for "Book"`. Django before 2.1 wrote `'title' is an invalid keyword argument for
// this function`: a pronoun is never a name.
const INVALID_KWARG = /'?(\w{1,80})'? is an invalid keyword argument for (?!(?:this|that|the|its?|an?)\b)([A-Za-z_]\w{0,80})/;
const UNEXPECTED_KWARG = /\b([A-Z]\w{0,80})\(\) got an unexpected keyword argument '(\w{1,80})'/;
const MYPY_KWARG = /Unexpected keyword argument "(\w{1,80})" for "([A-Za-z_]\w{0,80})"/;
// `NameError: name 'Room' is not defined` raised inside SQLAlchemy's class registry: a relationship target.
const NAME_ERROR = /name '([A-Za-z_]\w{0,80})' is not defined/;
// SQLAlchemy 1.3's registry raises `KeyError: 'User'` for a relationship target it cannot find.
const REGISTRY_KEY = /^KeyError: '([A-Z]\w{0,80})'/;
const NOT_SERIALIZABLE = /Object of type '?([A-Za-z_]\w{0,80})'? is not JSON serializable|Unable to serialize unknown type: <class '([\w.]{1,300})'>/;

// Attributes a library reads off the user's class, not ones the user named: SQLAlchemy's `_sa_instance_state`,
// Flask-SQLAlchemy's `_query_cls`, Django's `_meta`, dunders; and the managers `query` / `objects`. A private
// attribute of the user's own (`type object 'User' has no attribute '_affiliation'`, a loader option naming a
// renamed column) is one like any other.
const LIBRARY_INTERNAL = /^(?:__\w{0,80}|_sa_\w{0,80}|_query_cls|_decl_class_registry|_meta|_state|_default_manager|_base_manager|_mapper_zero|_static_cache_key|_annotations|_fields|query|objects)$/;
// SQLAlchemy looking up an attribute by the name the user gave it: a loader option's path (`strategy_options.py`,
// indico's `joinedload('_affiliation')`), a relationship's string arguments.
const NAME_LOOKUP_FRAME = /sqlalchemy[\\/](?:orm[\\/](?:strategy_options|clsregistry|relationships|interfaces)|ext[\\/]declarative[\\/]clsregistry)\.py$/;

/**
 * A private attribute (`_affiliation`) is the user's only when the paste shows that the user named it: the ORM
 * failed resolving a name it was given, or the user's own code reads it. Otherwise it is the library's own
 * plumbing (`'DisabledBackend' object has no attribute '_get_task_meta_for'`, execnet's `Gateway._trace`).
 */
function userNamedPrivate(ctx: NameContext, attr: string): boolean {
  if (ctx.parsed.records.some((r) => r.frames.some((f) => NAME_LOOKUP_FRAME.test(f.file)))) return true;
  const read = new RegExp(`[.'"]${attr}\\b`);
  // A short paste's prose lines are the message itself, not code that read the attribute.
  return !ctx.prose && [...ctx.failing, ...ctx.outer].some((l) => l.user && !l.code.includes('has no attribute') && read.test(l.code));
}

// A function defined inside another names itself by its qualname: `coroutine 'test_raise_warning.<locals>.foo'`.
// A class defined inside a test names its method after the class: `...test_async_method.<locals>.Foo.test1` is the
// coroutine `Foo.test1` (as the code shows it) of the function `test_async_method`.
const LOCALS_QUALNAME = /^(?:[\w.]{0,200}\.)?(\w{1,100})\.<locals>\.(?:\w{1,100}\.<locals>\.){0,5}(\w{1,100}(?:\.\w{1,100}){0,2})$/;

/**
 * A nested coroutine's qualname, read by a fault's regex or the `never awaited` wording, names two things: the
 * coroutine (`foo`, as the user's code calls it) and the function it was defined in (`test_raise_warning`).
 */
export function splitLocalsQualname(findings: NameFinding[]): void {
  for (const f of [...findings]) {
    if (f.role !== 'coroutine' || !f.value.includes('<locals>')) continue;
    const m = LOCALS_QUALNAME.exec(f.value);
    if (!m?.[1] || !m[2]) continue;
    findings.push({ role: 'function', value: m[1], source: 'python', confidence: Math.min(f.confidence, 0.85), evidence: f.value });
    f.evidence ??= f.value;
    f.value = m[2];
  }
}

const ANY_WORD = /'await'|never awaited|coroutine object|has no attribute|keyword argument|is not defined|serializ|KeyError: '/;

function userType(name: string | undefined): name is string {
  return !!name && !PLUMBING_TYPES.has(name) && !/^(?:_|AsyncAdapt)/.test(name);
}

/** Python's own messages, which name the user's classes and functions in fixed wording. */
export const pythonSource: NameSource = {
  id: 'python',
  describe: "Python's own messages: not awaitable, never awaited, no attribute, invalid keyword, not JSON serializable",
  find(ctx: NameContext, out: NameFinding[]): void {
    // One scan of the whole paste decides whether any of Python's wordings is there at all.
    if (ctx.text && !ANY_WORD.test(ctx.text)) return;
    const texts = [...ctx.ordered.map((r) => `${r.shortType}: ${r.message.slice(0, 2000)}`)];
    if (ctx.text) texts.push(ctx.text);
    const registry = ctx.parsed.records.some((r) => r.frames.some((f) => /clsregistry\.py$/.test(f.file)));
    texts.forEach((text, rank) => {
      if (!ANY_WORD.test(text)) return;
      const c = rank === 0 ? 0.95 : 0.9;
      const awaited = NOT_AWAITABLE.exec(text);
      if (awaited?.[1]) {
        // `object Report can't be used in 'await' expression`: the type that was awaited, the user's or not.
        out.push({ role: 'awaited_type', value: awaited[1], source: 'python', confidence: c, evidence: awaited[0] });
      }
      const never = NEVER_AWAITED.exec(text);
      if (never?.[1]) out.push({ role: 'coroutine', value: never[1], source: 'python', confidence: c, evidence: never[0] });
      const repr = never || !text.includes('<coroutine object ') ? null : COROUTINE_REPR.exec(text);
      if (repr?.[1]) out.push({ role: 'coroutine', value: repr[1], source: 'python', confidence: c - 0.1, evidence: repr[0] });
      const noAttr = NO_ATTRIBUTE.exec(text) ?? NO_ATTRIBUTE_TYPED.exec(text);
      // `'AsyncioEngine' object has no attribute '_contextual_connect'`: plumbing, not the user's class.
      if (noAttr?.[1] && userType(noAttr[1]) && /^[A-Z]/.test(noAttr[1]) && !(/(?:Engine|Connection|Session|Cursor|Result|Query|Pool|Loop|Client|Adapter|Dialect)$/.test(noAttr[1]) && /^_(?!sa_)/.test(noAttr[2] ?? ''))) {
        const group = ctx.group();
        out.push({ role: 'model', value: noAttr[1], source: 'python', confidence: c - 0.1, group, evidence: noAttr[0] });
        if (!LIBRARY_INTERNAL.test(noAttr[2] ?? '') && (!(noAttr[2] ?? '').startsWith('_') || userNamedPrivate(ctx, noAttr[2] ?? ''))) out.push({ role: 'attribute', value: noAttr[2] ?? '', source: 'python', confidence: c - 0.1, group, evidence: noAttr[0] });
      }
      for (const [re, attrAt, modelAt] of [[INVALID_KWARG, 1, 2], [UNEXPECTED_KWARG, 2, 1], [MYPY_KWARG, 1, 2]] as const) {
        const m = re.exec(text);
        if (!m || !userType(m[modelAt])) continue;
        const group = ctx.group();
        out.push({ role: 'model', value: m[modelAt] ?? '', source: 'python', confidence: c - 0.1, group, evidence: m[0] });
        out.push({ role: 'attribute', value: m[attrAt] ?? '', source: 'python', confidence: c - 0.1, group, evidence: m[0] });
      }
      const nameError = NAME_ERROR.exec(text);
      if (nameError?.[1] && registry) out.push({ role: 'related_model', value: nameError[1], source: 'python', confidence: c - 0.1, evidence: nameError[0] });
      const key = registry ? REGISTRY_KEY.exec(text) : null;
      if (key?.[1]) out.push({ role: 'related_model', value: key[1], source: 'python', confidence: c - 0.15, evidence: key[0] });
      const serial = NOT_SERIALIZABLE.exec(text);
      const cls = serial ? bareClass(serial[1] ?? serial[2] ?? '') : undefined;
      if (serial && userType(cls) && !/^(?:Default|RateLimitError|ModelMetaclass)$/.test(cls)) out.push({ role: 'model', value: cls, source: 'python', confidence: c - 0.15, evidence: serial[0] });
    });
  },
  examples: [
    { source: 'https://github.com/web2py/pydal/issues/653', input: 'Traceback (most recent call last):\n  File "/Users/sugizo/Downloads/blacksheep_pydal/test/exposed/install.py", line 10, in install\n    test_id_1 = await db.test.insert(name = "test1")\nTypeError: object Reference can\'t be used in \'await\' expression', expect: { awaited_type: 'Reference' } },
    { source: 'https://github.com/miguelgrinberg/microblog/issues/176', input: "Traceback (most recent call last):\n  File \"tests.py\", line 37, in test_follow\n    self.assertEqual(u1.followers.all(), [])\nAttributeError: 'User' object has no attribute 'followers'", expect: { model: 'User', attribute: 'followers' } },
    { source: 'https://github.com/dano/aioprocessing/issues/24', input: "RuntimeWarning: coroutine 'tick_trading_main' was never awaited", expect: { coroutine: 'tick_trading_main' } },
    { source: 'https://github.com/miguelgrinberg/flasky/issues/258', input: "p = models.Post(body='my first post', timestamp=datetime.datetime.utcnow(), author=u)\n\nthe result: 'timestamp is an invalid keyword argument for Post'", expect: { model: 'Post', attribute: 'timestamp' } },
  ],
};
