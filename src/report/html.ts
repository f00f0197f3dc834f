/**
 * The report as one self-contained HTML page (inline CSS, no scripts, no external assets):
 * counts on top, then one table row per application. Every value is escaped; applicant
 * strings were already cleaned of control characters by reportRows.
 */
import { SUMMARY_COLUMNS, wallText } from './columns';
import type { ReportRow } from './rows';

export interface HtmlMeta {
  generatedAt: string;
  campaign: string;
  timeZone?: string;
  /** A line saying which filter made this list, shown under the title. */
  filterText?: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Escaped, with line breaks kept as <br>. */
const text = (s: string): string => escapeHtml(s).replace(/\n/g, '<br>');

const CSS = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em;margin:0 0 .3em}
p.meta{color:#555;margin:.2em 0 1em}
ul.counts{list-style:none;padding:0;display:flex;gap:1.5em;flex-wrap:wrap}
ul.counts li{background:#f3f5f8;padding:.4em .8em;border-radius:4px}
table{border-collapse:collapse;font-size:.85em}
th,td{border:1px solid #ccd;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#e8edf3;position:sticky;top:0}
tr.incomplete td.complete{color:#b00020;font-weight:bold}
tr.complete td.complete{color:#1b5e20}
td.wrap{min-width:14em}
`;

export function toHtml(rows: readonly ReportRow[], meta: HtmlMeta): string {
  const tz = meta.timeZone ?? 'Asia/Shanghai';
  const complete = rows.filter((r) => r.complete).length;
  const count = (s: ReportRow['deadline']) => rows.filter((r) => r.deadline === s).length;
  const counts: Array<[string, number]> = [
    ['申报总数', rows.length], ['材料齐全', complete], ['材料不全', rows.length - complete],
    ['按时', count('onTime')], ['逾期', count('late')], ['截止后', count('closed')],
    ['发送失败的邮件', rows.reduce((n, r) => n + r.failedSends, 0)],
  ];
  const head = SUMMARY_COLUMNS.map((c) => `<th>${escapeHtml(c.header)}</th>`).join('');
  const body = rows.map((r) => {
    const cells = SUMMARY_COLUMNS.map((c) => {
      const v = c.value(r);
      const shown = v === null || v === '' ? '' : c.kind === 'date' ? escapeHtml(wallText(String(v), tz)) : text(String(v));
      const cls = c.header === '是否齐全' ? ' class="complete"' : c.kind === 'wrap' ? ' class="wrap"' : '';
      return `<td${cls}>${shown}</td>`;
    }).join('');
    return `<tr class="${r.complete ? 'complete' : 'incomplete'}">${cells}</tr>`;
  }).join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${meta.campaign} 申报完整性报表`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(meta.campaign)} 申报完整性报表</h1>
<p class="meta">生成时间：${escapeHtml(wallText(meta.generatedAt, tz))}（北京时间）${meta.filterText ? `\u3000筛选：${escapeHtml(meta.filterText)}` : ''}</p>
<ul class="counts">${counts.map(([k, n]) => `<li>${escapeHtml(k)}：<strong>${n}</strong></li>`).join('')}</ul>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</body>
</html>
`;
}
