import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorOf, literalRuns } from '../../bot/kb/compile.js';
import { formatProblem, loadKnowledge } from '../../bot/kb/load.js';

const template = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'faults', 'sqlalchemy', 'missing-greenlet.yaml'), 'utf8');

function catalogue(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'faultline-kb-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, 'faults', path.split('/')[0] as string), { recursive: true });
    writeFileSync(join(root, 'faults', path), text);
  }
  return root;
}

describe('loadKnowledge', () => {
  it('derives the id from the path', () => {
    const k = loadKnowledge(catalogue({ 'sqlalchemy/missing-greenlet.yaml': template }));
    expect(k.problems).toEqual([]);
    expect(k.faults.map((f) => f.id)).toEqual(['sqlalchemy.missing-greenlet']);
  });

  it('names the file and the field of every problem, and keeps loading the other files', () => {
    const broken = template.replace('library: sqlalchemy', 'library: sqlalchemy\ncolour: blue').replace('score: 88', 'score: lots');
    const k = loadKnowledge(catalogue({ 'sqlalchemy/broken.yaml': broken, 'sqlalchemy/missing-greenlet.yaml': template }));
    expect(k.faults.map((f) => f.id)).toEqual(['sqlalchemy.missing-greenlet']);
    const messages = k.problems.map(formatProblem);
    expect(messages.some((m) => /broken\.yaml: : Unrecognized key: "colour"/.test(m) || /broken\.yaml: .*colour/.test(m))).toBe(true);
    expect(messages.some((m) => /broken\.yaml: fixes\[0\]\.score: /.test(m))).toBe(true);
  });

  it('rejects a snippet placeholder nobody fills', () => {
    const k = loadKnowledge(catalogue({ 'sqlalchemy/x.yaml': template.replace('select({{model}}).options(selectinload', 'select({{modle}}).options(selectinload') }));
    expect(k.problems.map(formatProblem).join('\n')).toMatch(/x\.yaml: fixes\[0\]\.snippet: placeholder \{\{modle\}\} is not known/);
  });

  it('rejects a library that does not match the folder, and fixes pointing at unknown causes', () => {
    const k = loadKnowledge(catalogue({ 'asyncpg/x.yaml': template.replace('causes: [lazy-load]\n    score: 88', 'causes: [lazy-laod]\n    score: 88') }));
    const text = k.problems.map(formatProblem).join('\n');
    expect(text).toMatch(/library: is 'sqlalchemy' but the file is in faults\/asyncpg\//);
    expect(text).toMatch(/fixes\[0\]\.causes\[0\]: no cause with id 'lazy-laod'/);
  });

  it('reports invalid YAML and invalid regexes with their place', () => {
    const k = loadKnowledge(catalogue({ 'sqlalchemy/a.yaml': 'library: [', 'sqlalchemy/b.yaml': template.replace("- message: 'lazy load operation'", "- message: 'lazy (load'") }));
    const text = k.problems.map(formatProblem).join('\n');
    expect(text).toMatch(/a\.yaml: not valid YAML/);
    expect(text).toMatch(/b\.yaml: causes\[0\]\.clues\[2\]\.message: invalid regex/);
  });

  it('requires an index word in message-only signatures', () => {
    const k = loadKnowledge(catalogue({ 'sqlalchemy/x.yaml': template.replace("- type: MissingGreenlet\n", "- message: '(foo|bar)'\n") }));
    expect(k.problems.map(formatProblem).join('\n')).toMatch(/match\.signatures\[0\]\.message: needs a literal word/);
  });
});

describe('index anchors of message regexes', () => {
  it.each([
    ["greenlet_spawn has not been called; can't call await_(?:only)?\\(\\)", 'greenlet_spawn'],
    ["relationship '(?<model>\\w+)\\.(?<attr>\\w+)' will copy column", 'relationship'],
    ['(?i)too many clients', 'clients'],
    ['could not (?:connect|translate)', 'could'],
    ['foo|bar', null],
    ['(?:abcd)+ xyz', null],
    ['duplicates? key', null],
  ])('%s -> %s', (source, anchor) => {
    expect(anchorOf(source)).toBe(anchor);
  });

  it('splits at groups, escapes and quantifiers', () => {
    expect(literalRuns('ab\\.cd(x)ef?g')).toEqual(['ab.cd#', '#e#', '#g']);
  });
});
