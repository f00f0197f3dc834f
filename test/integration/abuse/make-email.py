#!/usr/bin/env python3
"""Builds one raw email for the abuse suite with Python's own `email` package (never with
shenbao's parser). Reads a JSON spec on stdin, writes the .eml bytes to stdout.

spec = {
  "headers": [["From", "a@x, b@y"], ["From", {"name": "李四", "addr": "a@x"}], ...],  # in order, repeats kept
  "text": "body",
  "attachments": [{"name": "报名表.docx", "fixture": "forms/f25.docx",
                    "replace": [["old", "new"]]}]   # optional: text replaced inside a .docx's XML parts
}
compat32 Message objects keep header values exactly as given (lists, groups, two From
headers); non-ASCII values are RFC 2047-encoded, address display names via formataddr, file
names RFC 2231-encoded (control and bidi characters included, as hostile clients send them).
"""
import io
import json
import os
import sys
import zipfile
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

FIXTURES = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'fixtures', 'documents')


def header_value(value):
    if isinstance(value, dict):
        return formataddr((value['name'], value['addr']), charset='utf-8')
    if all(ord(c) < 128 for c in value):
        return value
    return Header(value, 'utf-8').encode()


def docx_with(path, replacements):
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith('.xml'):
                text = data.decode('utf-8')
                for old, new in replacements:
                    text = text.replace(old, new)
                data = text.encode('utf-8')
            dst.writestr(item, data)
    return out.getvalue()


def main():
    spec = json.load(sys.stdin)
    msg = MIMEMultipart()
    for name, value in spec.get('headers', []):
        msg[name] = header_value(value)
    msg.attach(MIMEText(spec.get('text', ''), 'plain', 'utf-8'))
    for a in spec.get('attachments', []):
        path = os.path.join(FIXTURES, a['fixture'])
        if a.get('replace'):
            content = docx_with(path, a['replace'])
        else:
            with open(path, 'rb') as f:
                content = f.read()
        part = MIMEApplication(content)
        part.add_header('Content-Disposition', 'attachment', filename=('utf-8', '', a['name']))
        msg.attach(part)
    sys.stdout.buffer.write(msg.as_bytes())


main()
