import { describe, expect, it } from 'vitest';
import { maskForAi } from '../../bot/redact/mask-for-ai.js';
import { CORPUS, SECRET } from './corpus.js';

const TRACE = `Traceback (most recent call last):
  File "/home/hanako/work/orders/.venv/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 145, in __init__
    self._dbapi_connection = engine.raw_connection()
  File "/home/hanako/work/orders/app/db.py", line 12, in connect
    engine = create_async_engine("postgresql+asyncpg://orders_app:${SECRET.dsnPassword}@db.prod.internal:5432/orders")
  File "/home/hanako/work/orders/app/api/users.py", line 41, in get_user
    user = await session.get(User, user_id)
sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "db.prod.internal" (10.0.3.17), port 5432 failed: Connection refused
[SQL: SELECT users.id FROM users WHERE users.email = %(email)s]
[parameters: {'email': '${SECRET.email}'}]
(Background on this error at: https://sqlalche.me/e/20/e3q8)
also: Error 111 connecting to redis-master:6379. Connection refused. See C:\\Users\\hanako\\AppData\\Local\\app.log`;

describe('maskForAi', () => {
  const masked = maskForAi(TRACE);

  it('redacts secrets irreversibly', () => {
    expect(masked.text).not.toContain(SECRET.dsnPassword);
    expect(masked.text).not.toContain(SECRET.email);
    expect(masked.counts).toMatchObject({ 'url-userinfo': 1, 'sql-parameters': 1 });
    const restored = masked.restore(masked.text);
    expect(restored).not.toContain(SECRET.dsnPassword);
    expect(restored).not.toContain(SECRET.email);
  });

  it('replaces hosts and path prefixes with stable placeholders', () => {
    expect(masked.text).not.toContain('db.prod.internal');
    expect(masked.text).not.toContain('10.0.3.17');
    expect(masked.text).not.toContain('redis-master');
    expect(masked.text).not.toContain('hanako');
    // The same host twice is the same placeholder.
    expect(masked.text.match(/<HOST_1>/g)?.length).toBe(2);
    expect(masked.hosts).toBe(3);
    expect(masked.paths).toBeGreaterThanOrEqual(3);
  });

  it('keeps what identifies the code and the error', () => {
    for (const kept of ['/site-packages/sqlalchemy/engine/base.py', '/db.py', '/users.py', 'User, user_id', 'users.email', 'FROM users', 'OperationalError', 'https://sqlalche.me/e/20/e3q8', 'orders_app', ':5432/orders']) {
      expect(masked.text).toContain(kept);
    }
  });

  it('restores hosts and paths in an answer, and leaves other text alone', () => {
    const answer = 'Check that <HOST_1> accepts connections, then look at <PATH_2>/db.py; <HOST_99> is unknown; the password stays <redacted>.';
    const restored = masked.restore(answer);
    expect(restored).toContain('Check that db.prod.internal accepts connections');
    expect(restored).toContain('/home/hanako/work/orders/app/db.py');
    expect(restored).toContain('<HOST_99> is unknown');
    expect(restored).toContain('the password stays <redacted>.');
  });

  it('round-trips the masked text to the redacted original', () => {
    const restored = masked.restore(masked.text);
    expect(restored).toContain('File "/home/hanako/work/orders/app/api/users.py", line 41');
    expect(restored).toContain('connection to server at "db.prod.internal" (10.0.3.17)');
  });

  it('never lets a corpus secret through, with placeholders or without', () => {
    for (const entry of CORPUS) {
      const m = maskForAi(entry.text);
      for (const secret of entry.secrets) {
        expect(m.text).not.toContain(secret);
        expect(m.restore(m.text)).not.toContain(secret);
      }
    }
  });

  it('leaves documentation hosts, localhost and dotted Python names alone', () => {
    const text = 'see https://docs.sqlalchemy.org/en/20/orm/x.html and http://localhost:8000/docs; sqlalchemy.orm.exc.DetachedInstanceError on user.organization.name';
    expect(maskForAi(text).text).toBe(text);
  });
});
