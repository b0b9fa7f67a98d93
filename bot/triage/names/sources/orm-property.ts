import { LIBRARY_CLASSES } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// SQLAlchemy names a relationship unquoted as `Class.attribute` in a few messages: the unit of work's `FlushError: Can't
// flush None value found in collection Conversation.statements` (a `None` appended to a one-to-many list).
const NONE_IN_COLLECTION = /\bCan't flush None value found in collection ([A-Z]\w{0,80})\.([a-z_]\w{0,80})\b/;

/** The class and relationship an unquoted `Class.attribute` in the ORM's own wording names, wherever the paste shows it. */
export const ormPropertySource: NameSource = {
  id: 'message',
  describe: "the ORM's unquoted `Class.attribute` wordings (FlushError's `None value found in collection X.y`)",
  find(ctx: NameContext, out: NameFinding[]): void {
    const texts = [...ctx.ordered.map((r) => r.message.slice(0, 2000)), ctx.text];
    const m = texts.map((t) => (t.includes('found in collection ') ? NONE_IN_COLLECTION.exec(t) : null)).find((x) => x);
    if (!m?.[1] || !m[2] || LIBRARY_CLASSES.has(m[1])) return;
    const group = ctx.group();
    out.push({ role: 'model', value: m[1], source: 'message', confidence: 0.9, group, evidence: m[0] });
    out.push({ role: 'attribute', value: m[2], source: 'message', confidence: 0.9, group, evidence: m[0] });
  },
  examples: [],
};
