#!/usr/bin/python3
"""Writes bot/triage/postgres-translations-data.ts: PostgreSQL's own translations (Debian's postgresql-15 message catalogs,
/usr/share/locale/*/LC_MESSAGES/postgres-15.mo) of every server message that a PostgreSQL fault's signature matches, plus the
severity words (ERROR, DETAIL, ...). A server with lc_messages set to another language sends these instead of the English
wording (`la nouvelle ligne de la relation « t » viole la contrainte de vérification « c »`); bot/triage/translated-server.ts
reads such a line back as its English msgid so the English signatures match it. Re-run after adding a PostgreSQL signature:
/usr/bin/python3 bot/build/postgres-translations.py
"""
import glob
import json
import os
import re

import yaml

from pg_catalogs import ROOT, distinct, generated_header, load_catalogs

root = ROOT
SEVERITIES = ['ERROR', 'FATAL', 'PANIC', 'WARNING', 'NOTICE', 'LOG', 'INFO', 'DETAIL', 'HINT', 'STATEMENT', 'CONTEXT', 'QUERY']
# printf conversions a translated wording may carry; anything else (%m, %*s, %.*s) leaves the msgid out.
CONV = r'%(?:\d\$)?(?:s|d|u|ld|lu|lld|llu|zu|c|x|X)'

catalogs = load_catalogs()

# The signatures of every fault about a PostgreSQL server message: library postgres, or a fault naming SQLSTATEs.
signatures = []
for path in sorted(glob.glob(os.path.join(root, 'knowledge', 'faults', '*', '*.yaml'))):
    with open(path, encoding='utf-8') as f:
        doc = yaml.safe_load(f)
    match = doc.get('match') or {}
    if doc.get('library') != 'postgres' and not match.get('sqlstates'):
        continue
    for sig in match.get('signatures') or []:
        msg = sig.get('message') if isinstance(sig, dict) else None
        if not msg:
            continue
        try:
            signatures.append(re.compile(re.sub(r'\(\?<(?=[A-Za-z_])', '(?P<', msg)))
        except re.error:
            pass

def sample(msgid):
    return re.sub(CONV, 'x1', msgid.replace('%%', '%'))

msgids = set()
for cat in catalogs.values():
    for msgid in cat:
        if isinstance(msgid, str) and msgid and '\n' not in msgid and len(msgid) < 200:
            msgids.add(msgid)

rows = []
for msgid in sorted(msgids):
    if re.search(r'%(?!%)', re.sub(CONV, '', msgid)):
        continue
    if len(re.sub(CONV, '', msgid)) < 12:
        continue
    text = sample(msgid)
    if not any(s.search(text) for s in signatures):
        continue
    n = len(re.findall(CONV, msgid))
    wordings = {}
    for lang, cat in catalogs.items():
        t = cat.get(msgid)
        if not t or t == msgid:
            continue
        t = re.sub(r'\s*\n\s*', ' ', t)
        if len(re.findall(CONV, t)) != n or re.search(r'%(?!%)', re.sub(CONV, '', t)):
            continue
        wordings[lang] = t
    wordings = distinct(wordings)
    if wordings:
        rows.append({'msgid': msgid, 'wordings': wordings})

severities = {}
for word in SEVERITIES:
    for lang, cat in catalogs.items():
        t = cat.get(word)
        if t and t != word and re.fullmatch(r'[^\s:%]{2,20}', t):
            severities.setdefault(t, word)

out = os.path.join(root, 'bot', 'triage', 'postgres-translations-data.ts')
with open(out, 'w', encoding='utf-8') as f:
    f.write(generated_header('bot/build/postgres-translations.py'))
    f.write('\n')
    # One JSON string, parsed on the first paste that needs it: an object literal of this size would
    # be parsed and built on every start of the CLI (about 15 ms), a string literal is only scanned.
    f.write('/** JSON: [{ msgid, wordings: { lang: the server\'s wording } }] (`%s`, `%2$s`, `%d` are the arguments). */\n')
    f.write('export const POSTGRES_TRANSLATIONS_JSON = ' + json.dumps(json.dumps([{'msgid': r['msgid'], 'wordings': r['wordings']} for r in rows], ensure_ascii=False, separators=(',', ':')), ensure_ascii=False) + ';\n\n')
    f.write('/** A translated severity word -> the English one. */\n')
    f.write('export const POSTGRES_SEVERITIES: Readonly<Record<string, string>> = ' + json.dumps(severities, ensure_ascii=False, indent=2) + ';\n')
print(out, len(rows), 'messages,', sum(len(r['wordings']) for r in rows), 'wordings,', len(severities), 'severity words')
