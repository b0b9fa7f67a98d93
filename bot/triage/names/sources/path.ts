import { isFrameworkPath } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

/** The user's own frames: the function that failed and its file. */
export const pathSource: NameSource = {
  id: 'path',
  describe: "the user's own file paths and function names (the innermost frame outside libraries and frameworks)",
  find(ctx: NameContext, out: NameFinding[]): void {
    for (const record of ctx.ordered) {
      for (let i = record.frames.length - 1; i >= 0; i--) {
        const f = record.frames[i];
        if (!f || f.library || isFrameworkPath(f.file) || /^<|\.pyx$/.test(f.file)) continue;
        const func = f.func.trim();
        const file = f.file.split(/[\\/]/).pop() ?? '';
        if (!func || func === '<module>' || !/^\w{1,100}$/.test(func)) continue;
        out.push({ role: 'function', value: func, source: 'path', confidence: 0.9, evidence: `${file}, in ${func}` });
        if (/\.py$/.test(file)) out.push({ role: 'file', value: file, source: 'path', confidence: 0.9, evidence: f.file });
        return;
      }
    }
  },
  examples: [
    { source: 'https://github.com/3dem/emhub/pull/126', input: 'Traceback (most recent call last):\n  File "/mnt/cryoemgfs/data/software/emhub/emhub/data/data_models.py", line 1099, in json\n    json[\'owner_id\'] = self.owner_id or \'None\'\n  File "/mnt/cryoemgfs/data/software/emhub/emhub/data/data_models.py", line 1034, in owner_id\n    return self.booking.owner_id if self.booking else None\n  File "/software/miniforge3_envs/emhub/lib/python3.8/site-packages/sqlalchemy/orm/attributes.py", line 565, in __get__\n    return self.impl.get(state, dict_)  # type: ignore[no-any-return]\n  File "/software/miniforge3_envs/emhub/lib/python3.8/site-packages/sqlalchemy/orm/strategies.py", line 917, in _load_for_state\n    raise orm_exc.DetachedInstanceError(', expect: { function: 'owner_id' } },
  ],
};
