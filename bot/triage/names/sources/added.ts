import type { NameContext, NameFinding, NameSource } from '../types.js';
import { isModelClass, resolveVariable } from './code.js';

// Shown code that builds an object and hands the variable to the session (a Flask tutorial's view: `new_user =
// User(email=email, ...)` then `db.session.add(new_user)` / `db.session.commit()`): the object's class is the model the
// failing flush writes.
const HANDED = /(?<![\w.])(?:[a-z_]\w{0,40}\.)?(?:session|sess|db_session|async_session|dbsession|db)\.(?:add|merge)\(\s{0,4}([a-z_]\w{0,80})\s{0,4}\)/;

/** The class of the object the shown code adds to the session, resolved through its assignment, when nothing else names a model. */
export const addedObjectSource: NameSource = {
  id: 'code',
  describe: 'the class of the variable the shown code hands to `session.add(...)`, through its assignment in the shown code',
  find(ctx: NameContext, out: NameFinding[]): void {
    if (out.some((f) => f.role === 'model' && !f.guess)) return;
    const lines = [...ctx.failing.map((l) => l.code), ...ctx.source];
    for (const line of lines) {
      if (!line.includes('.add(') && !line.includes('.merge(')) continue;
      const m = HANDED.exec(line);
      const cls = m?.[1] ? resolveVariable(m[1], ctx.source) : null;
      if (m?.[1] && isModelClass(cls ?? undefined)) {
        out.push({ role: 'model', value: cls ?? '', source: 'code', confidence: 0.6, evidence: line.trim().slice(0, 160) });
        return;
      }
    }
  },
  examples: [],
};
