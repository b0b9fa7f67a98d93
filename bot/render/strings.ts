import type { Lang, MatchMethod } from '../triage/types.js';

/** Every user-facing string of the renderers, in both languages, in one place. */
const STRINGS = {
  en: {
    emptyInput: 'Nothing to diagnose: the input is empty. Paste an error message or a traceback.',
    notAnError: 'This does not look like an error message, so there is nothing to diagnose. Paste the traceback or the error line.',
    binaryInput: 'The input looks like binary data, not text. Paste the error as text.',
    noMatch: 'No curated match: this error is not in the Faultline catalogue.',
    nearest: 'Nearest faults in the catalogue:',
    confidence: 'confidence',
    matchedBy: 'matched by',
    method: { code: 'library error code', signature: 'exception signature', fuzzy: 'fuzzy text match' } as Record<MatchMethod, string>,
    variant: 'variant',
    cause: 'Cause',
    namesFound: 'names found',
    fixes: 'Fixes, best first for this trace',
    unavailable: 'not available in your version',
    tradeoff: 'tradeoff',
    replaceNames: 'Replace these placeholders with your own names:',
    alsoInPaste: 'Also in the paste:',
    alternatives: 'Other candidates',
    moreFixes: 'More fixes',
    docs: 'Docs',
    solved: 'Solved it',
    didntHelp: "Didn't help",
    wrong: 'Wrong diagnosis',
    truncated: 'Shortened to fit Slack; run `faultline diagnose` for the full answer.',
  },
  ja: {
    emptyInput: '入力が空のため診断できません。エラーメッセージかトレースバックを貼り付けてください。',
    notAnError: 'エラーメッセージではないようです。トレースバックかエラー行を貼り付けてください。',
    binaryInput: 'バイナリデータのようです。エラーをテキストで貼り付けてください。',
    noMatch: 'キュレーション済みの該当なし: このエラーは Faultline のカタログにありません。',
    nearest: 'カタログ内の近い候補:',
    confidence: '確信度',
    matchedBy: '判定方法',
    method: { code: 'ライブラリのエラーコード', signature: '例外シグネチャ', fuzzy: 'あいまい一致' } as Record<MatchMethod, string>,
    variant: 'パターン',
    cause: '原因',
    namesFound: '検出した名前',
    fixes: '対処法 (このトレースに合う順)',
    unavailable: 'お使いのバージョンでは使えません',
    tradeoff: 'トレードオフ',
    replaceNames: '以下のプレースホルダーを実際の名前に置き換えてください:',
    alsoInPaste: '貼り付けに含まれる他のエラー:',
    alternatives: '他の候補',
    moreFixes: '他の対処法',
    docs: 'ドキュメント',
    solved: '解決した',
    didntHelp: '役に立たなかった',
    wrong: '診断が違う',
    truncated: 'Slack の制限に合わせて省略しました。全文は `faultline diagnose` で確認できます。',
  },
} as const;

export type UiStrings = (typeof STRINGS)['en'];

export function ui(lang: Lang): UiStrings {
  return STRINGS[lang] as UiStrings;
}
