#!/usr/bin/env python3
"""Fails when a Chinese translation is missing: every message of tsp_zh_CN.ts that is still in use
(not vanished or obsolete) must have a finished, non-empty translation."""
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
missing = []
for context in ET.parse(path).getroot().iter('context'):
    name = context.findtext('name')
    for message in context.iter('message'):
        tr = message.find('translation')
        kind = tr.get('type') if tr is not None else 'missing'
        if kind in ('vanished', 'obsolete'):
            continue
        forms = [n.text or '' for n in tr.findall('numerusform')] if tr is not None else []
        text = (tr.text or '').strip() if tr is not None else ''
        if kind == 'unfinished' or kind == 'missing' or not (text or any(f.strip() for f in forms)):
            missing.append(f'{name}: {message.findtext("source")!r}')
for m in missing:
    print('untranslated:', m)
print(f'translations: {len(missing)} untranslated in {path}')
sys.exit(1 if missing else 0)
