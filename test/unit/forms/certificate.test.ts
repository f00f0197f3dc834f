import { extractCertificate, fillCertificate } from '../../../src/forms/certificate';
import { splitVersion } from '../../../src/forms/version';

/** The text pdf.js gives for fixtures/documents/other/core-copyright-certificate.pdf (LibreOffice PDF). */
const PDF_TEXT = [
  '中华人民共和国国家版权局', '计算机软件著作权登记证书', '证书号：软著登字第 10234567 号', '软件名称：云帆智能审批平台 V3.0',
  '著作权人：武汉云帆软件有限公司', '开发完成日期：2022 年 3 月 1 日', '首次发表日期：2022 年 5 月 10 日', '权利取得方式：原始取得',
  '权利范围：全部权利', '登记号：2022SR0612345', '根据《计算机软件保护条例》和《计算机软件著作权登记办法》的规定，经中国版权',
  '保护中心审核，对以上事项予以登记。', '中华人民共和国国家版权局', '2022 年 6 月 20 日',
].join('\n');

/** What tesseract chi_sim read from the photographed certificate fixture (colons lost, spaces inside labels and values). */
const OCR_TEXT = [
  '中华人民共和国国家版权局', '计算机软件著作权登记证书', '', '证书号: 软著登字第 11876543 号', '软件名称: 光谷数智 MES 制造执行系统 V5.0', '',
  '著作权人: 武汉光谷数智科技有限公司', '开发完成日期: 2023年1月 10日', '首次发表日期: 2023年3月15日', '', '权利取得方式: 原始取得', '',
  '权利     全部权利', '', '登记号: 2023SR0398765', '', '中华人民共和国国家版权局', '2023年4月2日', '',
].join('\n');

describe('extractCertificate', () => {
  it('reads every field of a text PDF certificate, spaces of the PDF removed', () => {
    expect(extractCertificate(PDF_TEXT)).toEqual({
      certificateNumber: '软著登字第10234567号',
      registrationNumber: '2022SR0612345',
      softwareName: '云帆智能审批平台V3.0',
      shortName: null,
      version: 'V3.0',
      owner: '武汉云帆软件有限公司',
      completedOn: '2022-03-01',
      firstPublishedOn: '2022-05-10',
      registeredOn: '2022-06-20',
    });
  });

  it('reads OCR text of a photographed certificate', () => {
    expect(extractCertificate(OCR_TEXT)).toMatchObject({
      certificateNumber: '软著登字第11876543号', softwareName: '光谷数智MES制造执行系统V5.0', version: 'V5.0',
      owner: '武汉光谷数智科技有限公司', completedOn: '2023-01-10', firstPublishedOn: '2023-03-15', registrationNumber: '2023SR0398765', registeredOn: '2023-04-02',
    });
  });

  it('未发表 gives no first-published date; a short name is split off; 版本号 gives the version', () => {
    const c = extractCertificate([
      '计算机软件著作权登记证书', '证书号：软著登字第0001234号', '软件名称：星云数据中台软件（简称：星云中台）', '版本号：V2.1',
      '著作权人：武汉星云软件有限公司', '开发完成日期：2021年12月1日', '首次发表日期：未发表', '登记号：2022SR1000001', '二〇二二年三月五日',
    ].join('\n'));
    expect(c).toMatchObject({ softwareName: '星云数据中台软件', shortName: '星云中台', version: 'V2.1', firstPublishedOn: null, registeredOn: '2022-03-05' });
  });

  it('a bare 简称 with the version after it; labels spread by distributed alignment; two fields on one line', () => {
    const c = extractCertificate([
      '软著登字第7654321号', '软 件 名 称 ： 云帆审批平台 简称：云帆审批 V1.0', '著 作 权 人 ： 武汉云帆软件有限公司',
      '开发完成日期：2022年1月5日   首次发表日期：2022年2月', '登 记 号 ： 2022SR0000007',
    ].join('\n'));
    expect(c).toMatchObject({
      softwareName: '云帆审批平台V1.0', shortName: '云帆审批', version: 'V1.0', owner: '武汉云帆软件有限公司',
      completedOn: '2022-01-05', firstPublishedOn: '2022-02', registrationNumber: '2022SR0000007', registeredOn: null,
    });
  });

  it('an OCR misreading of 登 in the certificate number is written as every number is: 软著登字第…号', () => {
    expect(extractCertificate('计算机软件著作权登记证书\n证书号: 软著合字第 10234999 号\n软件名称: 云帆审批V1.0')?.certificateNumber).toBe('软著登字第10234999号');
  });

  it('no certificate in a patent, a mention, or a text with neither name nor owner', () => {
    expect(extractCertificate('发明专利证书\n专利号：ZL202210000000.1\n专利权人：武汉云帆软件有限公司')).toBeNull();
    expect(extractCertificate('公司已取得计算机软件著作权登记12项。')).toBeNull();
    expect(extractCertificate('计算机软件著作权登记证书')).toBeNull();
    expect(extractCertificate(null)).toBeNull();
  });

  it('stays linear on hostile text', () => {
    const t0 = process.hrtime.bigint();
    extractCertificate(`软著登字 软件名称：${'（简称'.repeat(20000)}\n著作权人：${' '.repeat(50000)}x\n${'2022年'.repeat(20000)}`);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(1000);
  });
});

describe('fillCertificate (the whole page after the top part)', () => {
  const top = {
    certificateNumber: '软著登字第10234999号', registrationNumber: null, softwareName: '云帆政务服务审批系统V3.0', shortName: null,
    version: 'V3.0', owner: '武汉云帆软件有限公司', completedOn: '2022-03-01', firstPublishedOn: null, registeredOn: null,
  };
  const whole = {
    ...top, registrationNumber: '2022SR0612999', softwareName: '云帆政务服务审批系统V3.O', owner: '武汉云帆软件有限公可', firstPublishedOn: '2022-05-10', registeredOn: '2022-06-20',
  };

  test('fills only what the first reading left empty; never replaces a field it read', () => {
    expect(fillCertificate(top, whole)).toEqual({ ...top, registrationNumber: '2022SR0612999', firstPublishedOn: '2022-05-10', registeredOn: '2022-06-20' });
  });

  test('either side missing: the other as it is', () => {
    expect(fillCertificate(null, whole)).toBe(whole);
    expect(fillCertificate(top, null)).toBe(top);
    expect(fillCertificate(null, null)).toBeNull();
  });
});

describe('splitVersion', () => {
  it.each([
    ['云帆智能审批平台V3.0', '云帆智能审批平台', 'V3.0'],
    ['云帆智能审批平台 v3', '云帆智能审批平台', 'v3'],
    ['云帆数据中台3.0版', '云帆数据中台', '3.0版'],
    ['云帆数据中台 2.1', '云帆数据中台', '2.1'],
    ['云帆5G', '云帆5G', null],
    ['MES2000', 'MES2000', null],
    ['星云平台', '星云平台', null],
  ])('%s → %s + %s', (name, base, version) => {
    expect(splitVersion(name)).toEqual({ base, version });
  });
});
