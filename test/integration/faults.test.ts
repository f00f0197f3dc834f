/**
 * The CI-sized fault run (scripts/faults.ts; the full one is `npm run test:faults`): ~40 emails
 * through a clean run and a run with 3 SIGKILLs, two workers with one killed, Redis killed and
 * started again, Dovecot restarted, SMTP down then 421 then back, the file store full then freed.
 * It restarts the stack's servers: run alone (jest --runInBand does), on a stack of your own.
 */
import { runFaults } from '../../scripts/faults';
import { stackEnv } from './helpers/stack';

jest.setTimeout(15 * 60_000);

test('faults: nothing lost, nothing sent twice, every application as a clean run builds it, recovery ≤ 30 s', async () => {
  stackEnv();
  const r = await runFaults({ emails: 40, kills: 3, smtpDownMs: 8000, smtp421Ms: 4000, diskFullMs: 8000, log: (l) => process.stdout.write(`${l}\n`) });
  expect(r.faults.map((f) => f.name).sort()).toEqual(['disk', 'dovecot', 'kill', 'kill', 'kill', 'redis', 'smtp', 'two-workers']);
  expect(r.lost).toEqual([]);
  expect(r.duplicates).toEqual([]);
  expect(r.notInOneApplication).toEqual([]);
  expect(r.differentFromClean).toEqual([]);
  expect(r.unsent).toEqual([]);
  // Failed for good at the 550 (claims before it may have found the server away), its job done with, listed for staff.
  expect(r.refused550).toMatchObject({ state: 'failed', listed: true, jobState: 'failed' });
  expect(r.refused550?.lastError).toMatch(/550/);
  expect(r.maxRecoveryMs).toBeLessThanOrEqual(30_000);
});
