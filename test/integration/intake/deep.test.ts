/**
 * Two-phase intake (issue 10 §3, cross-checks.md §6): a message read in the receipt stage and
 * then in the deep phase leaves the application exactly as reading everything before folding
 * does (what `shenbao rebuild` does), the receipt never waits for or mentions the seal, and the
 * deep phase plans no email. A scanned certificate's whole page is read in the deep phase: it
 * fills the fields its top part missed (the date at its foot), and replaces none.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCampaign } from '../../../src/config/campaign';
import { createDocumentParser, type DocumentParser } from '../../../src/documents';
import { fixedClock } from '../../../src/domain/clock';
import type { PlannedEmail } from '../../../src/domain/outgoing';
import { deepenMessage } from '../../../src/intake/deep';
import { processMessage, type IntakeDeps } from '../../../src/intake/process-message';
import type { DeepJobData } from '../../../src/queues/deep';
import { judge } from '../../../src/rules';
import { ApplicationStore } from '../../../src/store/applications';
import { IntakeLog } from '../../../src/store/intake-log';
import { RawMailStore } from '../../../src/store/raw-mail';
import { createRedis } from '../../../src/store/redis';
import { cleanPrefix, stackEnv, uniquePrefix } from '../helpers/stack';

const FIXTURES = path.join(__dirname, '../../../fixtures/emails');
const campaign = loadCampaign();
const clock = fixedClock(new Date('2023-07-18T10:20:00+08:00'));
let parser: DocumentParser;
let dir: string;

beforeAll(() => {
  parser = createDocumentParser({ concurrency: 2 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-deep-'));
});
afterAll(async () => {
  await parser.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function intake(prefix: string, file: string, twoPhase: boolean) {
  const redis = createRedis({ redis: { url: stackEnv().redisUrl } }, { prefix });
  const apps = new ApplicationStore(redis);
  const log = new IntakeLog(redis);
  const raw = new RawMailStore(path.join(dir, prefix));
  const stored = await raw.put(fs.readFileSync(path.join(FIXTURES, file)));
  const planned: PlannedEmail[] = [];
  const deepJobs: DeepJobData[] = [];
  const deps: IntakeDeps = {
    redis, apps, log, raw, parser, campaign, clock,
    enqueue: async (p) => void planned.push(...p),
    markDone: async () => undefined,
    ...(twoPhase ? { deep: async (job: DeepJobData) => void deepJobs.push(job) } : {}),
  };
  const result = await processMessage(deps, { mailbox: 'INBOX', uidValidity: '1', uid: 1, sha256: stored.sha256, internalDate: '2023-07-18T02:12:05.000Z' });
  const afterReceipt = result.applicationId ? await apps.get(result.applicationId) : null;
  const deep = [];
  for (const job of deepJobs) deep.push(await deepenMessage({ redis, apps, raw, parser, campaign, clock }, job));
  const final = result.applicationId ? await apps.get(result.applicationId) : null;
  return { redis, apps, planned, deepJobs, deep, afterReceipt, final, close: () => redis.quit() };
}

test.each(['01-complete-one-email.eml', '05-foxmail-gb2312.eml', '13-zip-gbk-names.eml', '38-certificate-name-differs.eml'])('%s: receipt stage + deep phase = everything read first', async (file) => {
  const [a, b] = [uniquePrefix('deep-2p'), uniquePrefix('deep-all')];
  const two = await intake(a, file, true);
  const all = await intake(b, file, false);
  try {
    expect(all.deepJobs).toEqual([]);
    // The scans got their seal only in the deep phase, and then the same as read at once.
    const scans = (all.final?.documents ?? []).filter((d) => !d.textLayer && (d.format === 'pdf' || d.format === 'image'));
    if (scans.length > 0) {
      expect(two.deepJobs).toHaveLength(1);
      expect(two.afterReceipt?.documents.filter((d) => d.seal !== undefined)).toEqual([]);
      expect(two.deep[0]?.written).toBe(scans.length);
      expect(scans.every((d) => d.seal !== undefined)).toBe(true);
    }
    expect(two.final).toEqual(all.final);
    // The receipt says the same about what is missing; the deep phase adds nothing to send.
    const verdict = (app: typeof two.final) => (app ? judge(app, campaign).issues.filter((i) => i.severity === 'error') : null);
    expect(verdict(two.afterReceipt)).toEqual(verdict(all.final));
    expect(two.planned.map((p) => p.key)).toEqual(all.planned.map((p) => p.key));
    // Looked at again (a retried job): nothing more to do.
    for (const job of two.deepJobs) expect(await deepenMessage({ redis: two.redis, apps: two.apps, raw: new RawMailStore(path.join(dir, a)), parser, campaign, clock }, job)).toEqual({ looked: 0, written: 0 });
  } finally {
    await two.close();
    await all.close();
    await cleanPrefix(a);
    await cleanPrefix(b);
  }
}, 120_000);

test('a scanned certificate: the receipt reads its top part, the deep phase its whole page (the date at its foot)', async () => {
  const prefix = uniquePrefix('deep-page');
  const two = await intake(prefix, '38-certificate-name-differs.eml', true);
  try {
    const certificateOf = (app: typeof two.final) => app?.documents.find((d) => d.file === '软著证书-扫描件.pdf');
    const atReceipt = certificateOf(two.afterReceipt);
    const after = certificateOf(two.final);
    // Hand-written from fixtures/make-documents/other-specs.js (certificate-name-differs).
    const top = {
      certificateNumber: '软著登字第10234999号', registrationNumber: '2022SR0612999', softwareName: '云帆政务服务审批系统V3.0', shortName: null,
      version: 'V3.0', owner: '武汉云帆软件有限公司', completedOn: '2022-03-01', firstPublishedOn: '2022-05-10',
    };
    expect(atReceipt).toMatchObject({ kind: 'copyrightProof', ocr: true, certificate: { ...top, registeredOn: null } });
    expect(atReceipt?.wholePage).toBeUndefined();
    expect(after).toMatchObject({ kind: 'copyrightProof', wholePage: true, seal: true, certificate: { ...top, registeredOn: '2022-06-20' } });
    expect(two.deep[0]?.written).toBe(2); // the certificate (seal and page) and the stamped form (seal)
    // The warnings the receipt gave stand (the name differs from the form's), nothing sent by the deep phase.
    const codes = (app: typeof two.final) => (app ? judge(app, campaign).issues.map((i) => i.code) : []);
    expect(codes(two.final)).toEqual(codes(two.afterReceipt));
    expect(codes(two.final)).toContain('COPYRIGHT_NAME_MISMATCH');
  } finally {
    await two.close();
    await cleanPrefix(prefix);
  }
}, 120_000);
