/** Download links sent instead of files, from text and HTML bodies; ordinary links are not. */
import { classifyLink, findFileLinks } from '../../../src/mail/links';

describe('classifyLink', () => {
  it.each([
    ['https://wx.mail.qq.com/ftn/download?func=3&k=abc&key=abc', 'qq-large-attachment'],
    ['http://mail.qq.com/cgi-bin/ftnExs_download?k=2e3f&t=exs_ftn_download', 'qq-large-attachment'],
    ['https://exmail.qq.com/cgi-bin/ftnExs_download?k=1&t=exs_ftn_download', 'qq-large-attachment'],
    ['https://mail.163.com/large-attachment-download/index.html?p=X66&file=abc', 'netease-large-attachment'],
    ['https://dashi.163.com/html/cloud-attachment-download/index.html?key=1', 'netease-large-attachment'],
    ['https://1drv.ms/u/s!AqZ3abcdEFG', 'onedrive'],
    ['https://onedrive.live.com/?cid=123&id=456', 'onedrive'],
    ['https://yunfansoft-my.sharepoint.com/:f:/g/personal/zhangwei/EabC', 'onedrive'],
    ['https://pan.baidu.com/s/1aB2cD3eF4gH5?pwd=8k3q', 'baidu-pan'],
    ['https://www.aliyundrive.com/s/Ab12Cd34', 'aliyun-drive'],
    ['https://www.alipan.com/s/Ab12Cd34', 'aliyun-drive'],
    ['https://share.weiyun.com/AbCdEf', 'weiyun'],
    ['https://www.123pan.com/s/abc-def', '123pan'],
    ['https://wwi.lanzoui.com/iAbc123', 'lanzou'],
    ['https://yunfan.lanzoux.com/b0abc', 'lanzou'],
    ['https://pan.quark.cn/s/0a1b2c3d', 'quark-pan'],
    ['https://drive.google.com/file/d/1AbC/view?usp=sharing', 'google-drive'],
    ['https://www.dropbox.com/scl/fi/abc/a.zip?dl=0', 'dropbox'],
    ['https://cloud.189.cn/t/AbCdEf', 'cloud-drive'],
    ['https://www.jianguoyun.com/p/DabcEF', 'cloud-drive'],
  ])('%s → %s', (url, kind) => {
    expect(classifyLink(url)).toBe(kind);
  });

  it.each([
    'http://www.yunfan-soft.cn',
    'https://www.yunfan-soft.cn/about',
    'https://mail.qq.com/',
    'https://www.baidu.com/s?wd=申报',
    'https://pan.baidu.com/',
    'https://www.google.com/search?q=x',
    'https://www.miit.gov.cn/zwgk/index.html',
  ])('%s is an ordinary link', (url) => {
    expect(classifyLink(url)).toBeNull();
  });
});

describe('findFileLinks', () => {
  it('reads links from text, trims sentence punctuation and Chinese text after them', () => {
    const text =
      '链接：https://pan.baidu.com/s/1aB2cD3eF4g?pwd=8k3q 提取码：8k3q\n' +
      '（网盘备份：https://pan.quark.cn/s/0a1b2c3d）。另见https://share.weiyun.com/AbCdEf，谢谢\n' +
      '公司网址：http://www.yunfan-soft.cn';
    expect(findFileLinks(text)).toEqual([
      { url: 'https://pan.baidu.com/s/1aB2cD3eF4g?pwd=8k3q', kind: 'baidu-pan' },
      { url: 'https://pan.quark.cn/s/0a1b2c3d', kind: 'quark-pan' },
      { url: 'https://share.weiyun.com/AbCdEf', kind: 'weiyun' },
    ]);
  });

  it('reads hrefs from HTML with &amp; decoded, once even when the text repeats them', () => {
    const url = 'https://wx.mail.qq.com/ftn/download?func=3&k=abc&key=abc';
    const html = `<a href="${url.replace(/&/g, '&amp;')}">申报材料.zip</a> <a href="https://www.yunfan-soft.cn">官网</a>`;
    expect(findFileLinks(`申报材料.zip 进入下载页面：${url}`, html)).toEqual([{ url, kind: 'qq-large-attachment' }]);
  });

  it('reads a link written without https:// for a known host', () => {
    expect(findFileLinks('百度网盘 pan.baidu.com/s/1xYz 提取码 abcd')).toEqual([
      { url: 'https://pan.baidu.com/s/1xYz', kind: 'baidu-pan' },
    ]);
  });

  it('finds nothing in a signature with a website and an email address', () => {
    expect(findFileLinks('张伟 zhangwei@yunfan-soft.cn www.yunfan-soft.cn http://yunfan-soft.cn/contact')).toEqual([]);
  });
});
