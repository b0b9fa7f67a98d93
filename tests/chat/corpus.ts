import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Chat that mentions an error, as people write it in channels: questions, "anyone seen X?",
 * links to errors, half-sentences with the exception in backticks, Japanese. None of it is error
 * output, so none of it may get an unasked reply.
 */
export interface ChatLine {
  text: string;
  lang: 'en' | 'ja';
  style: string;
}

export const CHAT: ChatLine[] = readFileSync(join(import.meta.dirname, 'mentions.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as ChatLine);
