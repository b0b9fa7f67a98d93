import { createRequire } from 'node:module';

/*
 * SHA-256 for the paths a CLI start takes (the fingerprint, a changed fault file), with
 * node:crypto loaded on first use: loading it costs a start 3-5 ms, and `faultline diagnose`
 * on an unchanged catalogue never hashes.
 */
const load = createRequire(import.meta.url);
let crypto: typeof import('node:crypto') | undefined;

export function sha256Hex(text: string | Buffer): string {
  crypto ??= load('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256').update(text).digest('hex');
}
