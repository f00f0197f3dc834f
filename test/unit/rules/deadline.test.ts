import { loadCampaign, parseCampaign, DEFAULT_CAMPAIGN_FILE } from '../../../src/config/campaign';
import { deadlineStatus } from '../../../src/rules/deadline';
import { addDays, chineseDateTime, zonedDate, zonedInstant } from '../../../src/rules/zoned-time';
import { readFileSync } from 'node:fs';

const campaign = loadCampaign();
const at = (iso: string) => deadlineStatus(new Date(iso), campaign);

describe('deadlineStatus (Asia/Shanghai whole days)', () => {
  it('is onTime up to the last second of 2023-07-20 in Shanghai', () => {
    expect(at('2023-06-16T09:00:00+08:00')).toBe('onTime');
    expect(at('2023-07-20T23:59:59+08:00')).toBe('onTime');
    expect(at('2023-07-20T15:59:59Z')).toBe('onTime');
    expect(at('2023-07-20T08:59:59-07:00')).toBe('onTime');
  });

  it('is late from 2023-07-21 00:00:00 to 2023-07-31 23:59:59 in Shanghai', () => {
    expect(at('2023-07-21T00:00:00+08:00')).toBe('late');
    expect(at('2023-07-20T16:00:00Z')).toBe('late');
    expect(at('2023-07-20T09:00:00-07:00')).toBe('late');
    expect(at('2023-07-31T23:59:59+08:00')).toBe('late');
    expect(at('2023-07-31T15:59:59Z')).toBe('late');
  });

  it('is closed from 2023-08-01 00:00:00 in Shanghai', () => {
    expect(at('2023-08-01T00:00:00+08:00')).toBe('closed');
    expect(at('2023-07-31T16:00:00Z')).toBe('closed');
    expect(at('2023-07-31T09:00:00-07:00')).toBe('closed');
    // Still 2023-07-31 in California, already August in Shanghai.
    expect(at('2023-07-31T10:00:00-07:00')).toBe('closed');
  });

  it('adds the grace minutes after each deadline', () => {
    const graced = parseCampaign(readFileSync(DEFAULT_CAMPAIGN_FILE, 'utf8').replace('graceMinutes: 0', 'graceMinutes: 30'), 'g.yaml');
    expect(deadlineStatus(new Date('2023-07-21T00:29:59+08:00'), graced)).toBe('onTime');
    expect(deadlineStatus(new Date('2023-07-21T00:30:00+08:00'), graced)).toBe('late');
    expect(deadlineStatus(new Date('2023-08-01T00:29:59+08:00'), graced)).toBe('late');
    expect(deadlineStatus(new Date('2023-08-01T00:30:00+08:00'), graced)).toBe('closed');
  });
});

describe('zoned time', () => {
  it('converts wall clocks through the zone table, DST included', () => {
    expect(zonedInstant('2023-07-17', '09:00', 'Asia/Shanghai').toISOString()).toBe('2023-07-17T01:00:00.000Z');
    expect(zonedInstant('2023-07-17', '09:00', 'America/Los_Angeles').toISOString()).toBe('2023-07-17T16:00:00.000Z');
    expect(zonedInstant('2023-01-17', '09:00', 'America/Los_Angeles').toISOString()).toBe('2023-01-17T17:00:00.000Z');
    expect(zonedDate(new Date('2023-07-20T16:00:00Z'), 'Asia/Shanghai')).toBe('2023-07-21');
    expect(addDays('2023-07-31', 1)).toBe('2023-08-01');
    expect(addDays('2023-07-20', -3)).toBe('2023-07-17');
    expect(chineseDateTime(new Date('2023-07-21T02:05:00Z'), 'Asia/Shanghai')).toBe('2023年7月21日 10:05');
  });
});
