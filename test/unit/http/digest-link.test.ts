import { loadCampaign } from '../../../src/config/campaign';
import { planDigest } from '../../../src/notify/plan';

const campaign = loadCampaign();
const now = new Date('2023-07-18T08:00:00+08:00');

describe('the staff digest links to the dashboard', () => {
  it('when DASHBOARD_URL is configured, in text and HTML (escaped)', () => {
    const d = planDigest([], campaign, now, { to: 's@x.cn', since: null, dashboardUrl: 'https://shenbao.example.org/?a=1&b=2' });
    expect(d.text).toContain('在线查看与处理（申报管理）：https://shenbao.example.org/?a=1&b=2');
    expect(d.html).toContain('https://shenbao.example.org/?a=1&amp;b=2');
  });

  it('not at all without it', () => {
    const d = planDigest([], campaign, now, { to: 's@x.cn', since: null });
    expect(d.text).not.toContain('在线查看');
  });
});
