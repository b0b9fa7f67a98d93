/**
 * The roles a snippet can ask for (knowledge/README.md, "Placeholders and roles"). A role is what
 * a name does in the user's code, not where it was found: `{{model}}.{{attribute}}` is the parent
 * class and its relationship whether the paste showed them in a repr, a Mapper string or a code line.
 */
export const ROLE_NAMES = [
  'model', 'attribute', 'related_model', 'relationship_annotation', 'variable', 'session',
  'table', 'column', 'constraint', 'related_table', 'secondary',
  'schema', 'field', 'function', 'file', 'coroutine', 'awaited_type',
] as const;
export type Role = (typeof ROLE_NAMES)[number];

export interface RoleSpec {
  /** Shown in the snippet when the paste does not name it: obviously a stand-in. */
  fallback: string;
  en: string;
  ja: string;
}

export const ROLES: Record<Role, RoleSpec> = {
  model: { fallback: 'YourModel', en: 'your ORM model class (the parent, for a relationship)', ja: 'ORM モデルクラス (リレーションシップでは親側)' },
  attribute: { fallback: 'your_relationship', en: 'the attribute or relationship of that model', ja: 'そのモデルの属性またはリレーションシップ' },
  related_model: { fallback: 'RelatedModel', en: 'the class the relationship points to', ja: 'リレーション先のクラス' },
  relationship_annotation: { fallback: '"RelatedModel"', en: 'the Mapped[...] type of the relationship', ja: 'リレーションシップの Mapped[...] 型' },
  variable: { fallback: 'obj', en: 'the variable holding the object', ja: 'オブジェクトを持つ変数' },
  session: { fallback: 'session', en: 'your session variable', ja: 'セッション変数' },
  table: { fallback: 'your_table', en: 'the table', ja: 'テーブル' },
  column: { fallback: 'your_column', en: 'the column', ja: 'カラム' },
  constraint: { fallback: 'your_constraint', en: 'the constraint', ja: '制約' },
  related_table: { fallback: 'other_table', en: 'the other table (the one referenced or referencing)', ja: 'もう一方のテーブル (参照先または参照元)' },
  secondary: { fallback: 'association_table', en: 'the association (secondary) table', ja: '関連 (secondary) テーブル' },
  schema: { fallback: 'YourSchema', en: 'your Pydantic model', ja: 'Pydantic モデル' },
  field: { fallback: 'your_field', en: 'the field', ja: 'フィールド' },
  function: { fallback: 'your_function', en: 'the failing function in your code', ja: '失敗しているあなたのコードの関数' },
  file: { fallback: 'your_module.py', en: 'the file of your code that failed', ja: '失敗したあなたのコードのファイル' },
  coroutine: { fallback: 'your_coroutine', en: 'the coroutine that was not awaited', ja: 'await されなかったコルーチン' },
  awaited_type: { fallback: 'NotAwaitable', en: 'the type of the value that was awaited', ja: 'await された値の型' },
};

/**
 * Other names for roles. Snippets written before roles existed keep working, and a snippet can
 * say what it means: `selectinload({{parent}}.{{relationship}})`.
 */
export const ROLE_ALIASES: Record<string, Role> = {
  parent: 'model',
  parent_model: 'model',
  relationship: 'attribute',
  related: 'related_model',
  child_model: 'related_model',
  session_variable: 'session',
  association_table: 'secondary',
};

export function roleOf(name: string): Role | null {
  if ((ROLE_NAMES as readonly string[]).includes(name)) return name as Role;
  return ROLE_ALIASES[name] ?? null;
}

/** Where a name was read: the extractors of bot/triage/names/sources/, and the fault's own regex. */
export const SOURCE_IDS = ['signature', 'message', 'mapper', 'pydantic', 'python', 'code', 'sql', 'path', 'derived'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

export const SOURCE_LABELS: Record<SourceId, { en: string; ja: string }> = {
  signature: { en: 'the error message', ja: 'エラーメッセージ' },
  message: { en: 'the error message', ja: 'エラーメッセージ' },
  mapper: { en: 'the mapper / relationship string', ja: 'Mapper / relationship の表記' },
  pydantic: { en: 'the validation error header', ja: 'バリデーションエラーの見出し' },
  python: { en: "Python's message", ja: 'Python のメッセージ' },
  code: { en: 'your code line', ja: 'あなたのコード行' },
  sql: { en: 'the SQL', ja: 'SQL' },
  path: { en: 'your traceback frame', ja: 'あなたのトレースバックのフレーム' },
  derived: { en: 'inferred from the other names', ja: '他の名前から推定' },
};
