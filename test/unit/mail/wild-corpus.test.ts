/**
 * readEmail over every real email in ../shared/corpus/wild/emails (sources in its PROVENANCE.md),
 * against what a person reading the raw file sees. Every expectation below was written by hand
 * from the raw bytes (read by eye and with Python's `email` package, `decode_header`, `codecs`;
 * the sizes and sha256 prefixes of the files are Python's `get_payload(decode=True)`, and for
 * winmail.dat a Python walk over the TNEF records' attAttachData) — not copied from our output.
 * The files are read in place, never copied into the project.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEmail } from '../../../src/mail/read-email';

const DIR = join(__dirname, '../../../../shared/corpus/wild/emails');

interface Expected {
  from: string | null;
  /** Display name, where the raw header makes it plain. */
  name?: string;
  subject: string;
  /** false, or what makes the message automatic (matched against our reason). */
  automatic: false | RegExp;
  /** [file name, size in bytes, first 16 hex digits of the sha256]. */
  attachments: Array<[string, number, string]>;
  problems: string[];
  textIncludes?: string;
  /** Why a person reads it so. */
  why: string;
}

const EXPECTED: Record<string, Expected> = {
  '163-webmail-raw-utf8-from.eml': {
    from: 'tipray_sxm@163.com',
    name: '小*',
    subject: '2345557756785gjgj',
    automatic: false,
    attachments: [['ere.rtf', 4103, '3ffd23e241d6a88b']],
    problems: [],
    why: 'raw 8-bit UTF-8 From name; =?UTF-8?B?ZXJlLnJ0Zg==?= is ere.rtf; the 1x1 img is a beacon, not a file link',
  },
  '189cn-webmail-attachment.eml': {
    from: '18359086903@189.cn',
    subject: 'trld-gui',
    automatic: false,
    attachments: [['aaa', 98, '7504cd516a3f33e7']],
    problems: [],
    why: 'attachment named =?UTF-8?B?YWFh?= (aaa); the multipart has no closing boundary, the part ends at the end',
  },
  'apple-mail-inline-image.eml': {
    from: 'JSmith@somenet.foo',
    name: 'John Smith',
    subject: 'Test attaching images to tickets by HTML mail',
    automatic: false,
    attachments: [['paella.jpg', 10790, '4474dd534c36bdd2']],
    problems: [],
    why: 'Apple Mail sends the photo as Content-Disposition: inline inside multipart/related; the HTML (<br> only) never shows cid:…, so it is a file',
  },
  'big5-raw-subject-empty-cte.eml': {
    from: '3712f2@msa.hinet.net',
    subject: '4d8119\u3000(大補泡麵專賣) 大家說英語 每日聽MP3 (2004年6月份) 繁體中文光碟版 (英語教學)\u30008afb90',
    automatic: false,
    attachments: [],
    problems: [],
    why: 'charset="big5" body; the raw Subject bytes went through one Latin-1→UTF-8 pass (¤j¸É…): undone, they are Big5',
  },
  'charset-lie-big5-is-utf8.eml': {
    from: 'discourse@bar.com',
    name: 'Foo Bar',
    subject: '',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: '您好！ 你今天好吗？',
    why: 'no Subject header; labelled Big5 but the base64 body is valid UTF-8 that Big5 cannot read',
  },
  'debian-chinese-gb-list.eml': {
    from: 'Jason_Lee@quantatw.com',
    subject: 'RE: 装硬碟问题',
    automatic: /precedence: list/,
    attachments: [],
    problems: [],
    textIncludes: '假设你的硬碟是IDE介面',
    why: 'debian-chinese-gb list mail (Precedence: list, List-Id); mbox From_ line first; gb2312 body',
  },
  'exchange-ndr-gb2312.eml': {
    from: 'foo@bar.de',
    subject: '',
    automatic: /delivery report/,
    attachments: [],
    problems: [],
    textIncludes: '次の受信者またはグループへの配信に失敗しました',
    why: 'multipart/report; report-type=delivery-status: a bounce; the text is Japanese kana in GB2312',
  },
  'exchange-oof-autoreply-gb2312.eml': {
    from: 'user@siemens.com',
    name: 'Sender, Example',
    subject: 'Out of Office AutoReply: XXXXXX XXXXXX XXXXXX XXXXXX',
    automatic: /out of office/,
    attachments: [],
    problems: [],
    textIncludes: 'I am out of office till May 23',
    why: 'Exchange out-of-office reply: must never be answered',
  },
  'foxmail41-gb2312-8bit-body.eml': {
    from: 'reiyg3@ae9.com',
    name: '企',
    subject: '企 业 裁 员 风 险 规 避04:37:21',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: '企业裁员风险规避及HR规章制度、员工手册撰写技巧',
    why: '=?GB2312?B? From and Subject; 8-bit GB2312 body',
  },
  'foxmail72-spam-utf8.eml': {
    from: 'ts4@nj080.top',
    subject: '外贸客户开发，势在必行',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: 'WhatsApp目前已经是国外最火的即时聊天通讯软件',
    why: 'three UTF-8 Q encoded words joined; mixed>related>alternative with one HTML part and no files',
  },
  'gb18030-minimal.eml': {
    from: 'root@localhost',
    subject: '测试',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: '测试',
    why: '=?gb18030?B?suLK1A===?= (an extra = of padding) and a gb18030 body',
  },
  'gmail-attachment-iso2022jp.eml': {
    from: 'JSmith@somenet.foo',
    name: 'John Smith',
    subject: 'test',
    automatic: false,
    attachments: [['テスト.txt', 5, 'f2ca1bb6c7e907d0']],
    problems: [],
    why: 'filename="=?ISO-2022-JP?B?GyRCJUYlOSVIGyhCLnR4dA==?=" is テスト.txt',
  },
  'ios-mail-big5-leading-blank-line.eml': {
    from: 'walter.white@googlemail.com',
    name: 'Walter White',
    subject: "Re: [Discourse] new reply to your post in 'Crystal Blue'",
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: '媽！我上電視了！',
    why: 'the file starts with one blank line, then the headers; Big5 base64 body',
  },
  'malformed-long-boundary.eml': {
    from: null,
    subject: '',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: '22',
    why: 'no headers but Content-Type; 80-82 character boundaries, each a prefix of the next; only text parts, no file',
  },
  'malformed-nested-same-boundary.eml': {
    from: null,
    subject: '',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: 'body',
    why: 'the nested multipart reuses its parent boundary; one text part "body", no file',
  },
  'malformed-rfc822-no-boundary.eml': {
    from: null,
    subject: '',
    automatic: false,
    attachments: [],
    problems: [],
    why: 'message/rfc822 parts inside unterminated multiparts, each holding one line of text: no file',
  },
  'nifty-rfc2231-continuations.eml': {
    from: 'root@localhost',
    subject: 'Client ? Japanese Attachment Name issue',
    automatic: false,
    attachments: [['新しいテキスト ドキュメント.txt', 141, 'a77aa56f3f831d38']],
    problems: [],
    why: 'a lone =?ISO-2022-JP?B?Pw==?= (?) in the Subject; an inline text/plain part named by filename*0*…*3 continuations in ISO-2022-JP',
  },
  'outlook-express5-gb2312.eml': {
    from: 'baoguan@hotmail.com',
    name: '张先生',
    subject: '代开各地增值税发票',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: '你好！我公司可代开各类增值税发票',
    why: 'GB2312 encoded words in From/Subject; the 8bit body labelled GB2312 is in fact UTF-8',
  },
  'outlook-word15-139-to-163.eml': {
    from: '18150899443@139.com',
    subject: 'outlook---232423424235',
    automatic: false,
    attachments: [['545.docx', 13726, 'b6013aa95110d964']],
    problems: [],
    textIncludes: '235235235235235235325235',
    why: 'a DLP comment line before the headers; the Subject folded over two UTF-8 words; the docx delimiter is glued to </html>, yet the boundary is plain and the docx (=?utf-8?B?NTQ1LmRvY3g=?=) is a valid zip',
  },
  'outlook365-tnef-koi8r.eml': {
    from: 'rrtest1@xink.io',
    name: 'RR Tester 1',
    subject: 'rr test 7',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: 'шостий',
    why: 'winmail.dat holds only the message body (no attachment record): nothing was attached, nothing is unreadable',
  },
  'qq-postmaster-bounce.eml': {
    from: 'PostMaster@qq.com',
    name: 'PostMaster',
    subject: '来自qq.com的退信',
    automatic: /delivery report/,
    attachments: [],
    problems: [],
    textIncludes: '很抱歉您发送的邮件被退回',
    why: 'multipart/report bounce with a raw UTF-8 Subject; its mail.eml is the returned message, not an applicant file',
  },
  'qqmail-web-foxmail-com.eml': {
    from: 'samgentlemankaka@foxmail.com',
    name: 'sh',
    subject: 'test',
    automatic: false,
    attachments: [],
    problems: [],
    why: 'the 915-byte image is shown by the HTML (<img src="cid:F76361FC@E3C5215F.31AC8F5F.png">): an inline picture, not a file',
  },
  'raw8bit-big5-subject.eml': {
    from: 'y971880896@pchome.com.tw',
    subject: '[SLAT-talk] 鉅靡6月17日新片又到.如有重複寄發.敬請原諒!．．．．．．鉅靡6月17日新片又到.如有重複寄發.敬請原諒!．．．',
    automatic: /precedence: bulk/,
    attachments: [],
    problems: [],
    textIncludes: '最新資訊的軟體泡麵站',
    why: 'raw 8-bit Big5 Subject in a charset=big5 message (Precedence: bulk list mail)',
  },
  'raw8bit-gb2312-headers.eml': {
    from: '1234@e34.com',
    name: '台湾鑫龙商贸集团公司',
    subject: '全新原装进口，送货上门，货到付款－台湾鑫龙商贸集团公司向您拜年!',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: '本公司长期经销电脑配件',
    why: 'raw unencoded GB2312 bytes in From and Subject, gb2312 body',
  },
  'split-multibyte-encoded-word.eml': {
    from: 'noreply@orders.eset.com',
    subject: 'NOD32 Smart Security - бесплатная лицензия',
    automatic: /noreply/,
    attachments: [],
    problems: [],
    textIncludes: 'Hello world',
    why: 'a UTF-8 character split across two =?utf-8?B? words; a noreply sender',
  },
  'thunderbird3-rfc2231-iso2022jp.eml': {
    from: 'JSmith@somenet.foo',
    name: 'John Smith',
    subject: 'test',
    automatic: false,
    attachments: [['テスト.txt', 5, 'f2ca1bb6c7e907d0']],
    problems: [],
    why: "filename*=ISO-2022-JP''%1B%24%42… is テスト.txt",
  },
  'thunderbird60-raw-utf8-subject.eml': {
    from: 'test@test.com',
    subject: '示例邮件',
    automatic: false,
    attachments: [],
    problems: [],
    textIncludes: '这是一个示例邮件',
    why: 'raw 8-bit UTF-8 Subject, 8bit UTF-8 body',
  },
  'tnef-winmail-dat-1.eml': {
    from: 'someone@example.net',
    subject: 'tnef example',
    automatic: false,
    attachments: [['AUTHORS', 244, '36c47da7d11846ca']],
    problems: [],
    why: 'winmail.dat with one attachment; its PR_ATTACH_LONG_FILENAME is AUTHORS; named as attached in Outlook',
  },
  'tnef-winmail-dat-3.eml': {
    from: 'someone@example.net',
    subject: 'tnef3 example',
    automatic: false,
    attachments: [
      ['zappa_av1.jpg', 2937, 'bea844f30e0fcc20'],
      ['bookmark.htm', 85805, '1e08d6e23c75ff80'],
    ],
    problems: [],
    why: 'winmail.dat with two attachments; the long name zappa_av1.jpg (0x3707), not the 8.3 title ZAPPA_~2.JPG',
  },
};

describe('wild corpus: real emails read as a person reads them', () => {
  it('has the corpus and an expectation for every file in it (and no other)', () => {
    expect(existsSync(DIR)).toBe(true);
    const files = readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort();
    expect(files.length).toBeGreaterThanOrEqual(29);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  it.each(Object.keys(EXPECTED).sort())('%s', async (file) => {
    const expected = EXPECTED[file] as Expected;
    const email = await readEmail(readFileSync(join(DIR, file)));
    expect(email.from?.address ?? null).toBe(expected.from);
    if (expected.name !== undefined) expect(email.from?.name).toBe(expected.name);
    expect(email.subject).toBe(expected.subject);
    if (expected.automatic === false) expect(email.automatic).toBeNull();
    else expect(email.automatic?.reason).toMatch(expected.automatic);
    const files = email.attachments.map((a) => [a.filename, a.content.length, createHash('sha256').update(a.content).digest('hex').slice(0, 16)]);
    expect(files).toEqual(expected.attachments);
    for (const a of email.attachments) expect(a.size).toBe(a.content.length);
    expect(email.links).toEqual([]);
    expect(email.problems.map((p) => p.file)).toEqual(expected.problems);
    if (expected.textIncludes !== undefined) expect(email.text).toContain(expected.textIncludes);
    expect(email.text).not.toContain('\ufffd');
    expect(email.subject).not.toContain('\ufffd');
  });
});
