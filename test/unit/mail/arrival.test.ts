/** Arrival precedence (override → INTERNALDATE → first Received: → Date:) and the time zones of mail dates. */
import { arrivalOf } from '../../../src/mail/arrival';
import { firstReceivedAt, parseMailDate } from '../../../src/mail/mail-date';
import { readHeaders } from '../../../src/mail/raw-mime';

const received = new Date('2023-07-20T16:30:00Z');
const date = new Date('2023-07-20T15:50:00Z');
const now = new Date('2023-07-18T08:00:00Z');

describe('arrivalOf', () => {
  it('takes the --received override first', () => {
    const override = new Date('2023-07-19T00:00:00Z');
    expect(arrivalOf({ receivedHeaderAt: received, date }, { override, internalDate: new Date('2023-07-22T00:00:00Z'), now })).toEqual({
      at: override,
      source: 'override',
    });
  });

  it('then the IMAP INTERNALDATE', () => {
    const internalDate = new Date('2023-07-22T00:00:00Z');
    expect(arrivalOf({ receivedHeaderAt: received, date }, { internalDate, now })).toEqual({ at: internalDate, source: 'internalDate' });
  });

  it('then the first Received: header', () => {
    expect(arrivalOf({ receivedHeaderAt: received, date }, { now })).toEqual({ at: received, source: 'received' });
  });

  it("then the sender's Date:, marked as such", () => {
    expect(arrivalOf({ receivedHeaderAt: null, date }, { now })).toEqual({ at: date, source: 'date' });
  });

  it('ignores an invalid override', () => {
    expect(arrivalOf({ receivedHeaderAt: received, date }, { override: new Date('nonsense'), now }).source).toBe('received');
  });

  it('with no time at all, the time it was read (the injected clock\'s now)', () => {
    expect(arrivalOf({ receivedHeaderAt: null, date: null }, { now })).toEqual({ at: now, source: 'internalDate' });
  });
});

describe('parseMailDate', () => {
  it.each([
    ['Thu, 20 Jul 2023 23:30:00 +0800', '2023-07-20T15:30:00.000Z'],
    ['Thu, 20 Jul 2023 15:30:00 +0000 (UTC)', '2023-07-20T15:30:00.000Z'],
    ['Thu, 20 Jul 2023 09:30:00 -0700 (PDT)', '2023-07-20T16:30:00.000Z'],
    ['Thu, 20 Jul 2023 15:30:00 UTC', '2023-07-20T15:30:00.000Z'],
    ['Thu, 20 Jul 2023 15:30:00 GMT', '2023-07-20T15:30:00.000Z'],
    ['20 Jul 2023 09:30:00 PDT', '2023-07-20T16:30:00.000Z'],
    ['Thu, 20 Jul 2023 10:30 EST', '2023-07-20T15:30:00.000Z'],
    ['Thu, 20 Jul 23 23:30:00 +0800', '2023-07-20T15:30:00.000Z'],
    ['Thu,  2 Aug 2023 09:00:03 +0800 (CST)', '2023-08-02T01:00:03.000Z'],
    ['Thu, 20 July 2023 23:30:00 +08:00', '2023-07-20T15:30:00.000Z'],
    ['2023-07-20T23:30:00+08:00', '2023-07-20T15:30:00.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseMailDate(text)?.toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', 'Thu, 31 Feb 2023 10:00:00 +0800', 'Thu, 20 Jul 2023 25:00:00 +0800'])('%j → null', (text) => {
    expect(parseMailDate(text)).toBeNull();
  });
});

describe('firstReceivedAt', () => {
  it('reads the topmost Received:, after its last semicolon, folded over lines', () => {
    const headers = readHeaders(
      Buffer.from(
        'Received: from relay.example.com (relay.example.com [34.1.2.3]; TLS)\r\n\tby mx.wsia.org.cn (Postfix) with ESMTPS id 4R6Abc;\r\n\tThu, 20 Jul 2023 09:30:00 -0700 (PDT)\r\n' +
          'Received: from [192.168.1.20] by relay.example.com; Thu, 20 Jul 2023 23:49:55 +0800\r\n' +
          'Date: Thu, 20 Jul 2023 23:50:00 +0800\r\n',
      ),
    );
    // 00:30 on 21 July in Shanghai: the server's stamp, not the sender's 23:50 on 20 July.
    expect(firstReceivedAt(headers)?.toISOString()).toBe('2023-07-20T16:30:00.000Z');
  });

  it('is null without a Received: header', () => {
    expect(firstReceivedAt(readHeaders(Buffer.from('Date: Thu, 20 Jul 2023 23:50:00 +0800\r\n')))).toBeNull();
  });
});
