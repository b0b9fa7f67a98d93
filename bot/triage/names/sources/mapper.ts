import { bareClass, LIBRARY_CLASSES } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';
import { TYPE_TAGS } from './message.js';

// `Mapper[User(users)]` (2.0), `Mapper|User|users` (1.3), `mapped class User->users` (1.4).
const MAPPERS = [/Mapper\[([A-Za-z_]\w{0,80})\((\w{1,63})\)\]/g, /Mapper\|([A-Za-z_]\w{0,80})\|(\w{1,63})/g, /mapped class ([A-Za-z_]\w{0,80})->(\w{1,63})/g];
// `on relationship UserDevice.keys`, `relationship 'Episode.characters' will copy`, `'Study.user' is not available`.
// After the word "relationship" a lower-case class is accepted too (automap: `floatingips.ports`).
// Quotes may be typographic where a blog or a word processor pasted the message (`relationship ‘UserDataModel.reports’`).
const RELATIONSHIP = /\brelationship ['‘’]?([A-Za-z_]\w{0,80})\.([A-Za-z_]\w{0,80})['‘’]?/g;
const QUOTED_ATTR = /(?:['"`‘’]|attribute )([A-Z]\w{0,80})\.([a-z_]\w{0,80})(?=['"`‘’\s,;.]|$)/g;
// `Error creating backref 'users' on relationship 'UserDataModel.reports': property of that name exists on mapper
// 'mapped class ReportDataModel->reports'`: a backref is made on the relationship's target, so that mapper is the
// related class (its table is still the table the message names).
const ON_TARGET_MAPPER = /exists on mapper\s{0,3}['‘’"]?$/;
const RELATIONSHIP_NAME = /\brelationship '([a-z_]\w{0,80})' expects/;
// `expression 'Payment' failed to locate a name ("name 'Payment' is not defined")`, curly quotes as pasted.
const FAILED_NAME = /expression [‘'"]([^'’"]{1,200})[’'"] failed to locate a name(?: \([“"]name [‘']([A-Za-z_]\w{0,80})[’'] is not defined[”"]\))?/;
// `consider adding this relationship() to the <class 'app.models.user.User'> class`
const ADD_TO_CLASS = /relationship\(\) to\s{1,3}the <class [‘']([\w.]{1,300})[’']>/;
const SECONDARY = /via secondary table '(\w{1,126})'/;
// SQLAlchemy 2.0 on `relationship("List['X']")` (clsregistry.py `_raise_for_name`) writes the fix with the relationship's own
// key and the class inside the generic: `please state the generic argument using an annotation, e.g. "meals:
// Mapped[List['PlanMeal']] = relationship()"`. A terminal may wrap the sentence anywhere.
const GENERIC_ARGUMENT = /\bgeneric\s{1,3}argument\s{1,3}using\s{1,3}an\s{1,3}annotation,\s{1,3}e\.g\.\s{1,3}"([A-Za-z_]\w{0,80}):\s{1,3}Mapped\[\w{1,40}\['([A-Za-z_]\w{0,80})'\]\]/;
// `Class 'neutron.objects.router.Router' is not mapped`: a class the user meant to be mapped.
const NOT_MAPPED = /\bClass '([\w.]{1,300})' is not mapped/;

// The registry found two classes of one name when a relationship() string named it: `Multiple classes found for path "User"
// in the registry of this declarative base` (clsregistry.py). The path is the relationship's target as written, perhaps
// partly qualified (`"models.User"`); the paste's title or prose may carry it when the traceback stops before its last line.
const MULTIPLE_CLASSES = /\bMultiple classes found for path [“"']([\w.]{1,300})[”"']/;

function multipleClassesPath(ctx: NameContext, out: NameFinding[]): void {
  const texts = [...ctx.ordered.map((r) => r.message.slice(0, 2000)), ctx.text];
  const m = texts.map((t) => (t.includes('Multiple classes found') ? MULTIPLE_CLASSES.exec(t) : null)).find((x) => x);
  // The registry holds only mapped classes: a name it found twice is the user's, whatever library class it shares it with.
  const cls = m?.[1] ? bareClass(m[1]) : '';
  if (cls) out.push({ role: 'related_model', value: cls, source: 'mapper', confidence: 0.9, evidence: m?.[0] });
}

// `back_populates on relationship 'Customer.OrderList' refers to attribute 'Order.customer' that is not a relationship`
// (orm/relationships.py): the attribute named second is on the relationship's target, so its class is the related class.
const BACK_POPULATES_TARGET = /\brefers to attribute ['"‘’]([A-Za-z_]\w{0,80})\.(\w{1,80})['"‘’] that is not a relationship/;
// A column and a relationship given one name (orm/mapper.py `_configure_property`): `WARNING: when configuring property
// 'champion' on Mapper|Recommended|Recommended, column 'champion' conflicts with property '<RelationshipProperty at 0x..;
// champion>'`: the property is the attribute.
const CONFIGURING_PROPERTY = /\bwhen configuring property '(\w{1,80})' on |\bcolumn '(\w{1,80})' conflicts with property '/;

const ANY_WORD = /Mapper|mapped class|relationship|failed to locate|secondary|is not mapped|['"`]|attribute /;

/** Mapper[...] strings, relationship names and the class a relationship() could not find. */
export const mapperSource: NameSource = {
  id: 'mapper',
  describe: "Mapper[...] / mapped class X->t strings, relationship X.y strings, expression 'Y' failed to locate a name",
  find(ctx: NameContext, out: NameFinding[]): void {
    // A method the paste calls a coroutine anywhere (`coroutine `'AsyncCursor.close'` was never awaited`,
    // quoted again in another record's message) is not a model attribute.
    const coroutines = new Set(ctx.text.includes('coroutine') ? [...ctx.text.matchAll(/coroutine\s{0,20}`?'([\w.]{1,200})'/g)].map((m) => m[1]) : []);
    multipleClassesPath(ctx, out);
    ctx.ordered.forEach((record, rank) => {
      if (!ANY_WORD.test(record.message)) return;
      const text = record.message.slice(0, 4000).replace(TYPE_TAGS, '');
      const top = rank === 0 ? 0 : 0.05;
      let mapperGroup: number | undefined;
      for (const re of MAPPERS) {
        for (const m of text.matchAll(re)) {
          if (ON_TARGET_MAPPER.test(text.slice(Math.max(0, (m.index ?? 0) - 40), m.index ?? 0))) {
            out.push({ role: 'related_model', value: m[1] ?? '', source: 'mapper', confidence: 0.93 - top, evidence: m[0] });
            out.push({ role: 'table', value: m[2] ?? '', source: 'mapper', confidence: 0.9 - top, evidence: m[0] });
            continue;
          }
          mapperGroup ??= ctx.group();
          out.push({ role: 'model', value: m[1] ?? '', source: 'mapper', confidence: 0.95 - top, group: mapperGroup, evidence: m[0] });
          out.push({ role: 'table', value: m[2] ?? '', source: 'mapper', confidence: 0.93 - top, group: mapperGroup, evidence: m[0] });
        }
      }
      const failed = FAILED_NAME.exec(text);
      if (failed) {
        // `'Niveau.changed_by_fk == User.id'`: the name Python could not find is the related class.
        const missing = failed[2] ?? /^([A-Za-z_]\w{0,80})/.exec(failed[1] ?? '')?.[1];
        if (missing) out.push({ role: 'related_model', value: missing, source: 'mapper', confidence: 0.95 - top, evidence: failed[0].slice(0, 120) });
      }
      const add = ADD_TO_CLASS.exec(text);
      if (add?.[1]) out.push({ role: 'model', value: bareClass(add[1]), source: 'mapper', confidence: 0.9 - top, group: mapperGroup, evidence: add[0] });
      const seen = new Set<string>();
      const target = text.includes('refers to attribute') ? BACK_POPULATES_TARGET.exec(text) : null;
      if (target?.[1] && target[2] && !LIBRARY_CLASSES.has(target[1])) {
        seen.add(`${target[1]}.${target[2]}`);
        out.push({ role: 'related_model', value: target[1], source: 'mapper', confidence: 0.9 - top, evidence: target[0] });
      }
      const configuring = text.includes('configuring property') || text.includes('conflicts with property') ? CONFIGURING_PROPERTY.exec(text) : null;
      const configured = configuring?.[1] ?? configuring?.[2];
      if (configured) out.push({ role: 'attribute', value: configured, source: 'mapper', confidence: 0.9 - top, group: mapperGroup, evidence: configuring?.[0] });
      for (const re of [RELATIONSHIP, QUOTED_ATTR]) {
        for (const m of text.matchAll(re)) {
          const [model, attr] = [m[1] ?? '', m[2] ?? ''];
          // `coroutine 'Repo.mark_synced' was never awaited` (or `` `'AsyncCursor.close'` `` in Markdown) names a method, not a model attribute.
          // `Entity namespace for "A.id" has no property "other"`: the namespace looked in, not the attribute asked for.
          if (/namespace for $/.test(text.slice(Math.max(0, (m.index ?? 0) - 14), m.index ?? 0))) continue;
          if (LIBRARY_CLASSES.has(model) || seen.has(`${model}.${attr}`) || coroutines.has(`${model}.${attr}`) || /coroutine\s?`?'?$/.test(text.slice(Math.max(0, (m.index ?? 0) - 12), (m.index ?? 0) + 1))) continue;
          seen.add(`${model}.${attr}`);
          const group = ctx.group();
          // The first relationship named is the one the error is about; later ones are what it
          // conflicts with (`which conflicts with relationship(s): 'Parent.children'`).
          const conflicting = /conflicts with relationship\(s\):[^\n]{0,40}$/.test(text.slice(Math.max(0, (m.index ?? 0) - 60), (m.index ?? 0) + 1));
          const first = conflicting ? 0.25 : seen.size === 1 ? 0 : 0.1;
          out.push({ role: 'model', value: model, source: 'mapper', confidence: 0.92 - top - first, group, evidence: m[0] });
          out.push({ role: 'attribute', value: attr, source: 'mapper', confidence: 0.92 - top - first, group, evidence: m[0] });
        }
      }
      const relName = RELATIONSHIP_NAME.exec(text);
      if (relName?.[1]) out.push({ role: 'attribute', value: relName[1], source: 'mapper', confidence: 0.85 - top, evidence: relName[0] });
      const generic = text.includes('generic') ? GENERIC_ARGUMENT.exec(text) : null;
      if (generic?.[1]) {
        const group = ctx.group();
        out.push({ role: 'attribute', value: generic[1], source: 'mapper', confidence: 0.9 - top, group, evidence: generic[0] });
        if (generic[2]) out.push({ role: 'related_model', value: generic[2], source: 'mapper', confidence: 0.9 - top, group, evidence: generic[0] });
      }
      const secondary = SECONDARY.exec(text);
      if (secondary?.[1]) out.push({ role: 'secondary', value: secondary[1], source: 'mapper', confidence: 0.95 - top, evidence: secondary[0] });
      const notMapped = NOT_MAPPED.exec(text);
      if (notMapped?.[1] && !/^(?:builtins|__builtin__|sqlalchemy|flask_sqlalchemy|pydantic)\./.test(notMapped[1])) {
        const cls = bareClass(notMapped[1]);
        if (!LIBRARY_CLASSES.has(cls)) out.push({ role: 'model', value: cls, source: 'mapper', confidence: 0.8 - top, evidence: notMapped[0] });
      }
    });
  },
  examples: [
    { source: 'https://github.com/dgilland/sqlservice/issues/11', input: 'Could not determine join condition between parent/child tables on relationship UserDevice.keys - there are no foreign keys linking these tables.', expect: { model: 'UserDevice', attribute: 'keys' } },
    { source: 'https://github.com/timelesslounge/timelessis/issues/256', input: "sqlalchemy.exc.InvalidRequestError: When initializing mapper Mapper|Company|companies, expression ‘Role.id’ failed to locate a name (“name ‘Role’ is not defined”). If this is a class name, consider adding this relationship() to the <class ‘timeless.companies.models.Company’> class after both dependent classes have been defined", expect: { model: 'Company', table: 'companies', related_model: 'Role' } },
    { source: 'https://github.com/thanethomson/statik/issues/19', input: "sqlalchemy.exc.NoForeignKeysError: Could not determine join condition between parent/child tables on relationship Post.tags - there are no foreign keys linking these tables via secondary table 'PostTag'.", expect: { model: 'Post', attribute: 'tags', secondary: 'PostTag' } },
  ],
};
