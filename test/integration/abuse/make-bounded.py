#!/usr/bin/env python3
"""Builds the hostile emails of bounded.test.ts with Python's own `email` package (never with
shenbao's parser). Usage: make-bounded.py <case> <from> <message-id> > case.eml

cases:
  links        5,000 download links (百度网盘) in the body, one attachment
  date         a pathological Date: (nested comments, 60,000 characters), one attachment
  nested       a form forwarded inside a forwarded email, 50 levels deep
  attachments  3,000 tiny text attachments
  zips         zip-in-zip-in-zip holding the form, beside two zips of 150 files each
  form         the registration form alone (the stranger, the colleague, the normal email)
  reuse-a      one user report       (the first email with a Message-ID)
  reuse-b      another user report   (the same Message-ID, other content)
"""
import io
import os
import sys
import zipfile
from email.mime.application import MIMEApplication
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

DOCS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'fixtures', 'documents')
FORM = 'forms/f25-guanggu-company.docx'


def fixture(rel):
    with open(os.path.join(DOCS, rel), 'rb') as f:
        return f.read()


def attach(msg, name, content):
    part = MIMEApplication(content)
    part.add_header('Content-Disposition', 'attachment', filename=('utf-8', '', name))
    msg.attach(part)


def message(sender, message_id, subject, text):
    msg = MIMEMultipart()
    msg['From'] = sender
    msg['To'] = 'intake@assoc.test'
    msg['Subject'] = subject
    msg['Message-ID'] = message_id
    msg['Date'] = 'Fri, 14 Jul 2023 10:00:00 +0800'
    msg.attach(MIMEText(text, 'plain', 'utf-8'))
    return msg


def zip_of(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return out.getvalue()


def build(case, sender, mid):
    if case == 'links':
        links = '\n'.join(f'https://pan.baidu.com/s/1abc{i:05d}xyz 提取码: {i % 10000:04d}' for i in range(5000))
        msg = message(sender, mid, '申报材料（网盘链接）', '材料见网盘：\n' + links)
        attach(msg, '用户使用报告1.docx', fixture('other/core-user-report-1.docx'))
    elif case == 'date':
        msg = message(sender, mid, '申报材料（日期）', '附件为用户使用报告。')
        del msg['Date']
        msg['Date'] = 'Fri, ' + '(' * 20000 + 'x' + ')' * 20000 + ' 14 Jul 2023 ' + '1' * 20000 + ':00:00 +0800'
        attach(msg, '用户使用报告1.docx', fixture('other/core-user-report-1.docx'))
    elif case == 'nested':
        inner = message(sender, '<level-0@' + sender.split('@')[1] + '>', '登记表', '登记表见附件。')
        attach(inner, '登记表.docx', fixture(FORM))
        for level in range(1, 51):
            outer = message(sender, f'<level-{level}@' + sender.split('@')[1] + '>', f'转发{level}：登记表', '转发。')
            part = MIMEMessage(inner)
            part.add_header('Content-Disposition', 'attachment', filename=f'转发{level - 1}.eml')
            outer.attach(part)
            inner = outer
        del inner['Message-ID']
        inner['Message-ID'] = mid
        msg = inner
    elif case == 'attachments':
        msg = message(sender, mid, '申报材料（很多附件）', '附件。')
        for i in range(3000):
            attach(msg, f'说明{i:04d}.txt', f'第 {i} 份说明。\n'.encode('utf-8'))
    elif case == 'zips':
        deepest = zip_of([('登记表.docx', fixture(FORM))])
        deeper = zip_of([('第三层.zip', deepest)])
        many = [zip_of([(f'说明{k}-{i:03d}.txt', f'说明 {k} {i}\n'.encode('utf-8')) for i in range(150)]) for k in (1, 2)]
        outer = zip_of([('第二层.zip', deeper), ('一批1.zip', many[0]), ('一批2.zip', many[1])])
        msg = message(sender, mid, '申报材料（压缩包）', '压缩包。')
        attach(msg, '申报材料.zip', outer)
    elif case == 'form':
        msg = message(sender, mid, '申报优秀软件产品-武汉光谷数智科技有限公司', '附件为登记表。')
        attach(msg, '登记表.docx', fixture(FORM))
    elif case == 'reuse-a':
        msg = message(sender, mid, '用户使用报告', '附件为用户使用报告一。')
        attach(msg, '用户使用报告1.docx', fixture('other/core-user-report-1.docx'))
    elif case == 'reuse-b':
        msg = message(sender, mid, '用户使用报告', '附件为用户使用报告三。')
        attach(msg, '用户使用报告3.docx', fixture('other/core-user-report-3.docx'))
    else:
        raise SystemExit(f'unknown case {case}')
    sys.stdout.buffer.write(msg.as_bytes())


build(sys.argv[1], sys.argv[2], sys.argv[3])
