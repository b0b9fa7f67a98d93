import type { Text } from '../triage/types.js';

/**
 * The structural change that stops a recurring fault for good, shown in the digest when a
 * fault keeps coming back. Kept here until fault files grow a field for it; keyed by fault id
 * (a test checks every key is a fault in knowledge/).
 */
export const FIX_IT_ONCE: Readonly<Record<string, Text>> = {
  'sqlalchemy.missing-greenlet': {
    en: 'Set `lazy="raise"` on relationships (or `raiseload("*")` by default) so a missing eager load fails loudly in tests instead of as MissingGreenlet in production.',
    ja: 'リレーションシップに `lazy="raise"` を設定する (または既定で `raiseload("*")`) と、eager load の漏れが本番の MissingGreenlet ではなくテストで確実に失敗します。',
  },
};

export function fixItOnceFor(faultId: string): Text | null {
  return FIX_IT_ONCE[faultId] ?? null;
}
