/**
 * `npm run test:failover`: several Sentinel failovers in the middle of runs (two workers, one
 * Sentinel, a master and its replica: scripts/stack/sentinel.sh), counting what CI's one
 * failover (test/integration/sentinel.test.ts) sees too rarely to be sure of: replies sent twice,
 * emails lost, replies never sent. Too long for CI (~2 min a round); run it after touching the
 * sent log, the outbox or the Redis connections. Exit code 1 when anything was counted.
 *
 *   FAILOVER_ROUNDS (3), FAILOVER_EVERY_RUN (3), FAILOVER_EMAILS (90)
 *
 * Measured when it was written (2 cores): before the sent log waited for the replica and kept
 * marking a sent email, 6 failovers gave 1 reply sent twice (its `sent` mark refused by the
 * demoted master with NOREPLICAS, the claim then let go); after, 9 failovers gave 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterRun, startTopology } from './bench-cluster';
import { ROOT } from './demo';

async function main(): Promise<void> {
  const rounds = Number(process.env.FAILOVER_ROUNDS ?? 3);
  const perRun = Number(process.env.FAILOVER_EVERY_RUN ?? 3);
  const emails = Number(process.env.FAILOVER_EMAILS ?? 90);
  const stackDir = process.env.STACK_DIR ?? path.join(ROOT, '.stack');
  const sentinel = startTopology('sentinel', stackDir);
  const dir = fs.mkdtempSync(path.join(stackDir, 'failover-'));
  fs.chmodSync(dir, 0o755);
  const totals = { failovers: 0, duplicates: [] as string[], lost: 0, unsent: [] as string[] };
  try {
    for (let round = 1; round <= rounds; round++) {
      const r = await clusterRun({
        workers: 2, emails, redis: sentinel.env, dir,
        midway: async () => {
          for (let i = 0; i < perRun; i++) {
            // A failover needs a synced replica: the master demoted by the last one, once it has caught up.
            sentinel.run('synced');
            await new Promise((resolve) => setTimeout(resolve, 1000));
            sentinel.run('failover');
            totals.failovers++;
          }
        },
      });
      totals.duplicates.push(...r.duplicates);
      totals.lost += r.lost.length;
      totals.unsent.push(...r.unsent);
      process.stdout.write(`failover: round ${round}/${rounds}: ${perRun} failovers, sent twice ${r.duplicates.length}, lost ${r.lost.length}, unsent ${r.unsent.length}\n`);
    }
  } finally {
    sentinel.stop();
    if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
  const ok = totals.duplicates.length + totals.lost + totals.unsent.length === 0;
  process.stdout.write(`\ntest:failover on ${os.cpus().length} CPU(s): ${totals.failovers} failovers over ${rounds} runs of ${emails} emails: `
    + `sent twice ${totals.duplicates.length}${totals.duplicates.length ? ` (${totals.duplicates.join(', ')})` : ''}, lost ${totals.lost}, `
    + `unsent ${totals.unsent.length}; ${ok ? 'passed' : 'FAILED'}\n`);
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`test:failover failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
