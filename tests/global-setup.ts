// Starts one throwaway PostgreSQL for the whole run (tests/store/postgres-cluster.ts) unless
// FAULTLINE_TEST_DATABASE_URL already names one, so the store's contract suite and the
// multi-process tests run against both backends. Without PostgreSQL the PostgreSQL half is
// skipped with a message saying how to get it; under CI (CI=1 or FAULTLINE_REQUIRE_POSTGRES=1)
// a missing PostgreSQL fails the run instead.
import { findPostgresBin, HOW_TO_GET_POSTGRES, isCi, startCluster, type RunningCluster } from './store/postgres-cluster.js';

let cluster: RunningCluster | null = null;

export async function setup(): Promise<void> {
  if (process.env.FAULTLINE_TEST_DATABASE_URL) return;
  const bin = findPostgresBin();
  if (!bin) {
    if (isCi()) throw new Error(HOW_TO_GET_POSTGRES);
    process.stderr.write(`\n[faultline tests] ${HOW_TO_GET_POSTGRES} The PostgreSQL half of the store tests is skipped.\n\n`);
    return;
  }
  cluster = await startCluster(bin);
  process.env.FAULTLINE_TEST_DATABASE_URL = cluster.url;
}

export async function teardown(): Promise<void> {
  cluster?.stop();
  cluster = null;
}
