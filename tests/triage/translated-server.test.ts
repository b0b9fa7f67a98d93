import { describe, expect, it } from 'vitest';
import { translateServerLine } from '../../bot/triage/translated-server.js';
import { shippedEngine } from '../helpers.js';

// A PostgreSQL server with lc_messages in another language: its messages are read back as their English msgid
// (PostgreSQL's own catalogs, bot/build/postgres-translations.py) so the English signatures match them.
const engine = shippedEngine();

describe('translated PostgreSQL server messages', () => {
  it('reads a Chinese server message under a peewee exception as relation "..." does not exist', () => {
    // https://github.com/bukun/TorCMS/issues/6 (as posted)
    const paste = 'peewee.ProgrammingError: 错误:  关系 "tabpost" 不存在\nLINE 1: ..., "t1"."rating", "t1"."memo", "t1"."extinfo" FROM "tabpost" ...';
    expect(translateServerLine(paste.split('\n')[0] ?? '')).toBe('peewee.ProgrammingError: ERROR:  relation "tabpost" does not exist');
    const d = engine.diagnose(paste);
    expect(d.match?.id).toBe('postgres.undefined-table');
    expect(d.entities.captures.table).toBe('tabpost');
  });

  it('reads a Russian unique violation quoted by PDO, keeping the rest of the line', () => {
    // https://github.com/paulzi/yii2-nested-sets/issues/10 (trimmed before the SQL)
    const line = 'SQLSTATE[23505]: Unique violation: 7 ОШИБКА: повторяющееся значение ключа нарушает ограничение уникальности "category_pkey" DETAIL: Ключ "(id)=(1)" уже существует.';
    expect(translateServerLine(line)).toBe('SQLSTATE[23505]: Unique violation: 7 ERROR: duplicate key value violates unique constraint "category_pkey" DETAIL: Ключ "(id)=(1)" уже существует.');
    expect(engine.diagnose(line).entities.captures.constraint).toBe('category_pkey');
  });

  it('matches a German message with no exception type and no SQLSTATE by its English signature', () => {
    // https://github.com/tum-ewk/lemlab/issues/24, its title
    const d = engine.diagnose('FEHLER: Relation »info_user« existiert nicht');
    expect(d.match).toMatchObject({ id: 'postgres.undefined-table', method: 'signature' });
    expect(d.match?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('leaves English, chat in other languages and non-PostgreSQL text alone', () => {
    expect(translateServerLine('ERROR:  relation "users" does not exist')).toBeNull();
    expect(translateServerLine('これはテストです。テーブルが見つからないと言われます')).toBeNull();
    expect(translateServerLine('Ошибка при запуске, помогите пожалуйста')).toBeNull();
    expect(engine.diagnose('Ошибка при запуске, помогите пожалуйста').match).toBeNull();
  });

  it('does not let a cut prefix stand for a message when too little of it is left', () => {
    // "la colonne « %s » n'existe pas": nothing after the argument but "n'existe pas"; a cut start is not accepted.
    expect(translateServerLine('« x » n\'existe pas')).toBeNull();
  });
});
