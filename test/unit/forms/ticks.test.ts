import { parseTicks } from '../../../src/forms/ticks';

const TEMPLATE = '□基础软件   □工业软件   □支撑软件    □应用软件   □人工智能类软件   □其他软件';

function tick(mark: string, ...options: string[]): string {
  let text = TEMPLATE;
  for (const o of options) text = text.replace(`□${o}`, `${mark}${o}`);
  return text;
}

describe('parseTicks', () => {
  it('finds nothing ticked in the untouched template', () => {
    expect(parseTicks(TEMPLATE)).toEqual([]);
    expect(parseTicks(TEMPLATE.replace(/□/g, '☐'))).toEqual([]);
    expect(parseTicks(TEMPLATE.replace(/□/g, '\u{1F78E}'))).toEqual([]);
  });

  it.each(['☑', '☒', '■', '✓', '✔', '√', '\u{1F5F9}', '✔\ufe0f', '[x]', '(x)', '[√]', '（√）', '【√】'])('takes %s replacing the box as a tick', (mark) => {
    expect(parseTicks(tick(mark, '工业软件', '人工智能类软件'))).toEqual(['industrial', 'ai']);
  });

  it('reads Wingdings ticks as a .doc reader gives them (private-use characters)', () => {
    expect(parseTicks('\uf0a8基础软件  \uf0fe工业软件  \uf0a8支撑软件  \uf0a8应用软件  \uf0fe人工智能类软件  \uf0a8其他软件')).toEqual(['industrial', 'ai']);
    expect(parseTicks('\uf0a3基础软件 \uf052工业软件 \uf0a3支撑软件')).toEqual(['industrial']);
  });

  it('gives the ticks in category order, whatever the order written', () => {
    expect(parseTicks('☑其他软件 □工业软件 ☑基础软件')).toEqual(['basic', 'other']);
  });

  it('takes a tick written after the option, the box left in place', () => {
    expect(parseTicks('□基础软件   □工业软件√   □支撑软件    □应用软件   □人工智能类软件   □其他软件')).toEqual(['industrial']);
  });

  it('takes a lone tick one space after the option', () => {
    expect(parseTicks('□基础软件 □工业软件 ✓ □支撑软件 □应用软件 √')).toEqual(['industrial', 'application']);
  });

  it('takes a tick written before the box', () => {
    expect(parseTicks('□基础软件 √□工业软件 □支撑软件')).toEqual(['industrial']);
  });

  it('reads the after-option style (`基础软件□`)', () => {
    expect(parseTicks('基础软件□ 工业软件☑ 支撑软件□ 应用软件☑')).toEqual(['industrial', 'application']);
  });

  it('reads boxes separated from their option by a space', () => {
    expect(parseTicks('□ 基础软件 ■ 工业软件 □ 支撑软件')).toEqual(['industrial']);
  });

  it('takes the options left when the applicant deleted the others', () => {
    expect(parseTicks('工业软件')).toEqual(['industrial']);
    expect(parseTicks('应用软件、人工智能类软件')).toEqual(['application', 'ai']);
  });

  it('takes the option whose box was deleted or whose tick pdf.js moved to the line end', () => {
    expect(parseTicks('□基础软件 工业软件 □支撑软件 应用软件 □人工智能类软件 □其他软件\t☑ ☑')).toEqual(['industrial', 'application']);
    expect(parseTicks('□基础软件 工业软件 □支撑软件 □应用软件 □人工智能类软件 □其他软件 ☑')).toEqual(['industrial']);
    expect(parseTicks('□基础软件 工业软件 □支撑软件 应用软件 □人工智能类软件 □其他软件 ☑ ☑')).toEqual(['industrial', 'application']);
  });

  it('does not take all six options listed without any mark', () => {
    expect(parseTicks('基础软件 工业软件 支撑软件 应用软件 人工智能类软件 其他软件')).toEqual([]);
  });

  it('reads options spread over lines and cells', () => {
    expect(parseTicks('□基础软件 ☑工业软件 □支撑软件\t☑应用软件 □人工智能类软件 □其他软件')).toEqual(['industrial', 'application']);
  });

  it('reads an option explained in brackets as one option', () => {
    expect(parseTicks('□基础软件 ☑应用软件（含行业应用软件、嵌入式应用软件） □其他软件')).toEqual(['application']);
  });

  it('reads a business written out in words instead of the options', () => {
    expect(parseTicks('信息安全软件开发、行业应用解决方案')).toEqual(['application', 'other']);
    expect(parseTicks('软件开发与系统集成')).toEqual([]);
  });

  it('gives nothing for text without options', () => {
    expect(parseTicks('')).toEqual([]);
    expect(parseTicks('☑')).toEqual([]);
  });
});
