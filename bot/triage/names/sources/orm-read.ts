import { NOT_ATTRIBUTES } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// The frame below the line is SQLAlchemy's instrumented attribute being read (`sqlalchemy/orm/attributes.py`, in
// `__get__`): the line read an attribute of a mapped object, whatever the variable is called. TensorHive's
// `synchronize(task.id)` over `attributes.py ... in __get__` reads `task`, a mapped Task, though `task` elsewhere is an
// asyncio task the code source never takes for an object.
const ATTRIBUTE_GET = /[\\/]sqlalchemy[\\/]orm[\\/]attributes\.py$/;
const READ = /(?<![\w.])([a-z_]\w{0,80})\.([a-z_]\w{0,80})\b(?!\s*\()/g;

/** The variable (and attribute) a line reads when the next frame is SQLAlchemy's attribute `__get__`, for a variable the code source left. */
export const ormReadSource: NameSource = {
  id: 'code',
  describe: "the object a frame's line reads when the frame below it is SQLAlchemy's instrumented attribute `__get__`",
  find(ctx: NameContext, out: NameFinding[]): void {
    if (out.some((f) => f.role === 'variable' && f.source === 'code')) return;
    for (const r of ctx.ordered) {
      for (let i = 0; i + 1 < r.frames.length; i++) {
        const f = r.frames[i];
        const next = r.frames[i + 1];
        if (!f?.code || !next || next.func !== '__get__' || !ATTRIBUTE_GET.test(next.file) || ATTRIBUTE_GET.test(f.file) || /[\\/]sqlalchemy[\\/]/.test(f.file)) continue;
        for (const m of f.code.replace(/(["'])(?:(?!\1).){0,300}\1/g, '""').matchAll(READ)) {
          const [variable, attr] = [m[1] ?? '', m[2] ?? ''];
          if (/^(?:self|cls)$/.test(variable) || NOT_ATTRIBUTES.has(attr) || attr.startsWith('__')) continue;
          const group = ctx.group();
          out.push({ role: 'variable', value: variable, source: 'code', confidence: 0.7, evidence: f.code.trim().slice(0, 160) });
          out.push({ role: 'attribute', value: attr, source: 'code', confidence: 0.6, group, evidence: f.code.trim().slice(0, 160) });
          return;
        }
      }
    }
  },
  examples: [],
};
