/** The service's logger: JSON lines with secrets censored wherever a library might put them. */
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/metrics/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

it('censors passwords, session keys, cookies and settings objects; keeps what staff trace by', () => {
  const { lines, stream } = capture();
  const log = createLogger('info', stream);
  log.info({ password: 'hunter2', auth: { user: 'intake@assoc.cn', pass: 'imap-secret' } }, 'a');
  log.child({ messageId: '<abc@qq.com>' }).warn({ err: { message: 'auth failed', config: { password: 'x' } }, smtp: { password: 'smtp-secret' } }, 'b');
  log.info({ req: { headers: { cookie: 'session=SEKRIT', authorization: 'Basic Zm9v' } }, sessionKey: 'ab'.repeat(32) }, 'c');
  log.info({ config: { imap: { password: 'p1' }, smtp: { auth: { pass: 'p2' } } } }, 'd');
  const all = lines.join('\n');
  for (const secret of ['hunter2', 'imap-secret', 'smtp-secret', 'SEKRIT', 'Zm9v', 'ab'.repeat(32), 'p1', 'p2']) expect(all).not.toContain(secret);
  const b = JSON.parse(lines[1] ?? '{}') as { messageId?: string; level?: number };
  expect(b).toMatchObject({ messageId: '<abc@qq.com>', level: 40 });
  expect(all).toContain('intake@assoc.cn'); // the mailbox user is no secret; staff need it
  expect(lines).toHaveLength(4);
});
