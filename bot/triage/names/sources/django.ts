import { LIBRARY_CLASSES } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// Django's ORM words its errors about a model's relations in fixed format strings (django/db/models/fields/
// related_descriptors.py, base.py, query.py; the same in bookworm's 3.2 and trixie's 4.2). Each names the model, the
// attribute or the class the relation points to in a fixed place.

// `Cannot assign "%r": "%s.%s" must be a "%s" instance.`: the model, its relation, and the class the relation points to.
// The value is a repr and may hold quotes of its own (`"<SimpleLazyObject: <...AnonymousUser object at 0x..>>"`, `"u'1020'"`).
const CANNOT_ASSIGN = /\bCannot assign "[^\n]{0,400}?": "([A-Za-z_]\w{0,80})\.(\w{1,80})" must be an? "([A-Za-z_]\w{0,80})" instance/;
// `save() prohibited to prevent data loss due to unsaved related object 'parent_story'.` (`bulk_create()` too); a poster
// retyping it may drop the quotes (`unsaved related object uid`).
const UNSAVED_RELATED = /\bprohibited to prevent data loss due to unsaved related object '?(\w{1,80})/;
// `Direct assignment to the forward side of a many-to-many set is prohibited. Use tags.set() instead.` (`reverse side of a
// related set`, `reverse side of a many-to-many set` name the related manager the same way).
const DIRECT_ASSIGNMENT = /\bDirect assignment to the (?:forward|reverse) side of a [\w -]{1,40} set is (?:prohibited|deprecated)[^\n]{0,200}?\bUse (\w{1,80})\.set\(\) instead/;
// `'User' instance needs to have a primary key value before a many-to-many relationship can be used.` (also `before this
// relationship`), and its later form with the instance's repr: `"<Episode: Now What?>" needs to have a value for field "id"
// before this many-to-many relationship can be used.`
const NEEDS_PK = /'([A-Za-z_]\w{0,80})' instance needs to have a primary key value before/;
const NEEDS_VALUE = /"<([A-Z]\w{0,80}):[^\n"]{0,200}>" needs to have a value for field "\w{1,80}" before this/;
// `get() returned more than one Subscription -- it returned 2!`: a page or a title may turn `--` into a dash or drop the tail
// (`get() returned more than one User while login.`).
const MORE_THAN_ONE = /\bget\(\) returned more than one ([A-Z]\w{0,80})\b/;
// Every model class carries its own exceptions: `Notification.DoesNotExist`, `User.MultipleObjectsReturned`, written in prose,
// code (`except Album.DoesNotExist:`) or as the type (`todo.models.Comment.DoesNotExist`). Django's base `ObjectDoesNotExist`
// and a placeholder `Model.DoesNotExist` name no class.
const MODEL_EXCEPTION = /\b([A-Z]\w{0,80})\.(?:DoesNotExist|MultipleObjectsReturned)\b/g;
// Python 2's json and kombu print the value itself: `<Forum: 1> is not JSON serializable`, Django's `<Model: str>` repr.
const REPR_NOT_SERIALIZABLE = /<([A-Z]\w{0,80}): [^<>\n]{0,200}>{1,2} is not JSON serializable/;
// A class's manager Django adds to every model: `type object 'simplerabstract' has no attribute 'objects'` names the class the
// code used as a model, lower-case or not.
const NO_MANAGER = /\btype object '([A-Za-z_]\w{0,80})' has no attribute '(?:objects|DoesNotExist|MultipleObjectsReturned)'/;

const ANY_WORD = /Cannot assign|unsaved related|Direct assignment|needs to have a|more than one|DoesNotExist|MultipleObjectsReturned|JSON serializable|type object/;
// Django's request wrappers and lazy objects have the same `<X: ...>` repr as a model.
const DJANGO_PLUMBING = new Set(['SimpleLazyObject', 'QueryDict', 'WSGIRequest', 'ASGIRequest', 'HttpRequest', 'HttpResponse', 'QuerySet', 'Page', 'Model', 'ObjectDoesNotExist', 'ContentType']);

function isClass(name: string | undefined): name is string {
  return !!name && !LIBRARY_CLASSES.has(name) && !DJANGO_PLUMBING.has(name) && !/(?:Error|Exception|Warning)$/.test(name);
}

function first(texts: string[], word: string, re: RegExp): RegExpExecArray | null {
  for (const t of texts) {
    if (!t.includes(word)) continue;
    const m = re.exec(t);
    if (m) return m;
  }
  return null;
}

/** Django ORM wordings about a model's relations and managers. */
export const djangoSource: NameSource = {
  id: 'message',
  describe: 'Django ORM wordings: Cannot assign "..": "X.y" must be a "Z" instance, unsaved related object \'y\', Use y.set() instead, X.DoesNotExist',
  find(ctx: NameContext, out: NameFinding[]): void {
    if (ctx.text && !ANY_WORD.test(ctx.text)) return;
    const texts = [...ctx.ordered.map((r) => `${r.type}: ${r.message.slice(0, 2000)}`), ctx.text];
    const assign = first(texts, 'Cannot assign', CANNOT_ASSIGN);
    if (assign?.[1] && assign[2] && assign[3]) {
      const group = ctx.group();
      const evidence = assign[0].length > 160 ? `"${assign[1]}.${assign[2]}" must be a "${assign[3]}" instance` : assign[0];
      out.push({ role: 'model', value: assign[1], source: 'message', confidence: 0.96, group, evidence });
      out.push({ role: 'attribute', value: assign[2], source: 'message', confidence: 0.96, group, evidence });
      out.push({ role: 'related_model', value: assign[3], source: 'message', confidence: 0.96, group, evidence });
    }
    const unsaved = first(texts, 'unsaved related', UNSAVED_RELATED);
    if (unsaved?.[1]) out.push({ role: 'attribute', value: unsaved[1], source: 'message', confidence: 0.93, evidence: unsaved[0] });
    const direct = first(texts, 'Direct assignment', DIRECT_ASSIGNMENT);
    if (direct?.[1]) out.push({ role: 'attribute', value: direct[1], source: 'message', confidence: 0.93, evidence: `Use ${direct[1]}.set() instead` });
    const pk = first(texts, 'needs to have a', NEEDS_PK) ?? first(texts, 'needs to have a', NEEDS_VALUE);
    if (pk?.[1] && isClass(pk[1])) out.push({ role: 'model', value: pk[1], source: 'message', confidence: 0.92, evidence: pk[0] });
    const many = first(texts, 'more than one', MORE_THAN_ONE);
    if (many?.[1] && isClass(many[1])) out.push({ role: 'model', value: many[1], source: 'message', confidence: 0.93, evidence: many[0] });
    const repr = first(texts, 'JSON serializable', REPR_NOT_SERIALIZABLE);
    if (repr?.[1] && isClass(repr[1])) out.push({ role: 'model', value: repr[1], source: 'message', confidence: 0.85, evidence: repr[0] });
    const manager = first(texts, 'type object', NO_MANAGER);
    if (manager?.[1] && isClass(manager[1])) out.push({ role: 'model', value: manager[1], source: 'python', confidence: 0.86, evidence: manager[0] });
    // The exception class a record is of outranks one the prose or the code mentions (`except User.DoesNotExist:`).
    if (ctx.text.includes('DoesNotExist') || ctx.text.includes('MultipleObjectsReturned')) {
      const typed = ctx.ordered.map((r) => /(?:^|\.)([A-Z]\w{0,80})\.(?:DoesNotExist|MultipleObjectsReturned)$/.exec(r.type)?.[1]).find(isClass);
      if (typed) out.push({ role: 'model', value: typed, source: 'message', confidence: 0.9, evidence: `${typed}.DoesNotExist` });
      else {
        for (const m of ctx.text.matchAll(MODEL_EXCEPTION)) {
          if (!isClass(m[1])) continue;
          out.push({ role: 'model', value: m[1], source: 'message', confidence: 0.8, evidence: m[0] });
          break;
        }
      }
    }
  },
  examples: [
    { source: 'https://github.com/cfpb/django-nudge/issues/29', input: 'For example, updating a job produces "ValueError: Cannot assign "1": "Job.category" must be a "JobCategory" instance."', expect: { model: 'Job', attribute: 'category', related_model: 'JobCategory' } },
    { source: 'https://github.com/DMOJ/online-judge/pull/1034', input: 'Error is `TypeError: Direct assignment to the reverse side of a many-to-many set is prohibited. Use contests.set() instead.`', expect: { attribute: 'contests' } },
    { source: 'https://github.com/jpwatts/django-positions/issues/4', input: "If I try to add a collection named with a manyToManyField (like a category for a Product), I get this error:\n\n'Product' instance needs to have a primary key value before a many-to-many relationship can be used.", expect: { model: 'Product' } },
    { source: 'https://github.com/mytardis/mytardis/issues/1420', input: 'attempting to run the openid_migration app\'s notify_migration_status task with a User object as an argument gives an error:\n\n```EncodeError: <User: testuser1> is not JSON serializable```', expect: { model: 'User' } },
  ],
};
