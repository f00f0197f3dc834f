import { normalisePercent } from '../../../src/forms/percent';

describe('normalisePercent', () => {
  it.each([
    ['35%', 35],
    ['35.5', 35.5],
    ['约30%', 30],
    ['３０％', 30],
    ['约 3%', 3],
    ['0', 0],
    ['12.5 %', 12.5],
    ['小于1%', 1],
    ['2022年占比35%', 35],
    ['150%', 150],
  ])('%j → %p', (raw, expected) => {
    expect(normalisePercent(raw)).toBe(expected);
  });

  it.each([['无'], ['没有'], ['暂无'], ['/'], ['-'], ['—'], ['——'], ['－'], ['无（未出口）'], [' 无 ']])('%j → 无', (raw) => {
    expect(normalisePercent(raw)).toBe('无');
  });

  it.each([[''], ['  '], ['___']])('%j (blank) → null', (raw) => {
    expect(normalisePercent(raw)).toBeNull();
  });

  it('gives null for text with no number nor a "none" answer', () => {
    expect(normalisePercent('较高')).toBeNull();
    expect(normalisePercent(null)).toBeNull();
  });
});
