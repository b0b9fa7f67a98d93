// The store's two backends behind one harness: every contract test runs on SQLite and on
// PostgreSQL (a throwaway cluster started by tests/global-setup.ts). Each test gets a fresh
// database; `open()` called twice gives two independent connections to it, as two processes
// would have.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe } from 'vitest';
import { openStore } from '../../bot/store/open-store.js';
import { openPostgresStore } from '../../bot/store/postgres/open-postgres-store.js';
import type { Store, StoreBackend } from '../../bot/store/store.js';
import { createTestDatabase, HOW_TO_GET_POSTGRES, isCi, testDatabaseUrl } from './postgres-cluster.js';

export const TEST_USER_KEY = 'contract-test-user-key-0123456789';

export interface OpenOptions {
  now?: () => number;
  userKey?: string;
  storeRawUserIds?: boolean;
  queue?: { maxQueued?: number; waitMs?: number };
}

export interface BackendHarness {
  readonly name: StoreBackend;
  /** A store on this test's database (call again for a second "process"). */
  open(options?: OpenOptions): Promise<Store>;
  /** SQLite: the file; PostgreSQL: the URL. */
  readonly location: string;
}

const postgresUrl = testDatabaseUrl();
if (!postgresUrl && !isCi()) process.stderr.write(`[store contract] ${HOW_TO_GET_POSTGRES} Running the SQLite half only.\n`);

export const BACKENDS: StoreBackend[] = postgresUrl || isCi() ? ['sqlite', 'postgres'] : ['sqlite'];

/** `describe` once per backend, with a fresh database per test. */
export function describeEachBackend(title: string, body: (harness: () => BackendHarness) => void): void {
  for (const backend of BACKENDS) {
    describe(`${title} [${backend}]`, () => {
      let current: BackendHarness | null = null;
      let cleanup: (() => Promise<void>) | null = null;
      const opened: Store[] = [];
      beforeEach(async () => {
        if (backend === 'sqlite') {
          const dir = mkdtempSync(join(tmpdir(), 'faultline-contract-'));
          const path = join(dir, 'faultline.db');
          current = {
            name: 'sqlite',
            location: path,
            async open(o = {}) {
              const s = openStore({ path, userKey: o.userKey ?? TEST_USER_KEY, storeRawUserIds: o.storeRawUserIds, now: o.now, queue: o.queue, nonBlocking: false });
              opened.push(s);
              return s;
            },
          };
          cleanup = async () => rmSync(dir, { recursive: true, force: true });
        } else {
          if (!postgresUrl) throw new Error(HOW_TO_GET_POSTGRES);
          const db = await createTestDatabase(postgresUrl);
          current = {
            name: 'postgres',
            location: db.url,
            async open(o = {}) {
              const s = await openPostgresStore({ url: db.url, userKey: o.userKey ?? TEST_USER_KEY, storeRawUserIds: o.storeRawUserIds, now: o.now, queue: o.queue, poolSize: 4 });
              opened.push(s);
              return s;
            },
          };
          cleanup = () => db.drop();
        }
      });
      afterEach(async () => {
        for (const s of opened.splice(0)) await s.close();
        await cleanup?.();
        cleanup = null;
        current = null;
      });
      body(() => {
        if (!current) throw new Error('the harness is only available inside a test');
        return current;
      });
    });
  }
}
