import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspectOle } from '../../../src/documents/readers/cfb';
import { readOle } from '../../../src/documents/readers/ole';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('Word 97 / WPS (OLE) reader', () => {
  it('finds the WordDocument stream of a LibreOffice .doc and reads its Chinese text and table cells', async () => {
    const bytes = readFileSync(path.join(FIXTURES, 'form.doc'));
    expect(inspectOle(bytes).kind).toBe('word');
    const content = await readOle(bytes, 'form.doc');
    expect(content.text.split('\n')).toEqual(expect.arrayContaining(['优秀软件产品登记表', '软件产品简述：面向制造业的数据平台。']));
    expect(content.text).toMatch(/企业名称\t+武汉示例软件有限公司/);
    expect(content.text).toContain('☑基础软件');
  });

  it('reads the same file named .wps', async () => {
    const content = await readOle(readFileSync(path.join(FIXTURES, 'form.wps')), '登记表.wps');
    expect(content.text).toContain('优秀软件产品登记表');
  });

  it('rejects an OLE container whose header is damaged as UNREADABLE', async () => {
    const bytes = Buffer.from(readFileSync(path.join(FIXTURES, 'form.doc')));
    bytes.writeUInt16LE(7, 0x1e); // impossible sector size
    await expect(readOle(bytes, 'x.doc')).rejects.toMatchObject({ code: 'UNREADABLE' });
  });
});

describe('password-protected Word files', () => {
  it('reports a .doc saved with a password by LibreOffice as ENCRYPTED (FIB fEncrypted)', async () => {
    const bytes = readFileSync(path.join(FIXTURES, 'encrypted.doc'));
    expect(inspectOle(bytes).kind).toBe('encryptedWord');
    await expect(readOle(bytes, '登记表.doc')).rejects.toMatchObject({ code: 'ENCRYPTED' });
  });
});
