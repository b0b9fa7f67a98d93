import type { webApi } from '@slack/bolt';
import { languageFrom } from '../render/terminal.js';
import type { Lang } from '../triage/types.js';

export interface LocaleResolver {
  /** The reply language for a user: their Slack locale (`ja-JP` -> ja), else FAULTLINE_LANG. */
  langFor(client: webApi.WebClient, userId: string | null | undefined): Promise<Lang>;
}

export interface LocaleOptions {
  defaultLang: Lang;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
  onError?: (userId: string, err: unknown) => void;
}

/**
 * users.info with include_locale, cached per user: a burst of pastes costs one lookup, and a
 * locale change shows up within the TTL. A failed lookup falls back to the default language
 * for a minute instead of failing the reply.
 */
export function createLocaleResolver(options: LocaleOptions): LocaleResolver {
  const ttl = options.ttlMs ?? 3_600_000;
  const max = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { lang: Promise<Lang>; until: number }>();

  const lookup = async (client: webApi.WebClient, userId: string): Promise<Lang> => {
    try {
      const res = await client.users.info({ user: userId, include_locale: true });
      return languageFrom(res.user?.locale) ?? options.defaultLang;
    } catch (err) {
      options.onError?.(userId, err);
      cache.set(userId, { lang: Promise.resolve(options.defaultLang), until: now() + 60_000 });
      return options.defaultLang;
    }
  };

  return {
    langFor(client, userId) {
      if (!userId) return Promise.resolve(options.defaultLang);
      const hit = cache.get(userId);
      if (hit && hit.until > now()) return hit.lang;
      if (cache.size >= max) cache.clear();
      // The promise is cached, so concurrent messages from one user share a single call.
      const lang = lookup(client, userId);
      cache.set(userId, { lang, until: now() + ttl });
      return lang;
    },
  };
}
