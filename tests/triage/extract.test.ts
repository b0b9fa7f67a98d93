import { describe, expect, it } from 'vitest';
import { classNameForTable, isPlural, singular, tablesInSql } from '../../bot/triage/extract.js';
import { shippedEngine } from '../helpers.js';

const engine = shippedEngine();

describe('names from SQL', () => {
  it.each([
    ['organizations', 'Organization'],
    ['order_items', 'OrderItem'],
    ['categories', 'Category'],
    ['addresses', 'Address'],
    ['status', 'Status'],
    ['public.users', 'User'],
    ['"people"', 'Person'],
  ])('table %s -> class %s', (table, cls) => {
    expect(classNameForTable(table)).toBe(cls);
  });

  it('reads tables from FROM, JOIN, INSERT INTO and UPDATE, not from column aliases', () => {
    expect(tablesInSql('SELECT users.id AS users_id FROM users JOIN organizations ON organizations.id = users.organization_id')).toEqual(['users', 'organizations']);
    expect(tablesInSql('INSERT INTO "audit_log" (id) VALUES ($1)')).toEqual(['audit_log']);
    expect(tablesInSql('UPDATE accounts SET balance=$1 WHERE accounts.id = $2')).toEqual(['accounts']);
  });

  it('tells collections from single objects by the name', () => {
    expect([isPlural('orders'), isPlural('children'), isPlural('organization'), isPlural('address'), isPlural('tag_ids')]).toEqual([true, true, false, false, true]);
    expect(singular('companies')).toBe('company');
  });
});

describe('names in context', () => {
  it('does not read exception module paths as Model.attribute', () => {
    const d = engine.diagnose('asyncpg.exceptions.UniqueViolationError: duplicate key value violates unique constraint "users_email_key"');
    expect(d.entities.models).not.toContain('Asyncpg');
    expect(d.entities.attributes).toEqual([]);
  });

  it('does not read SQL aliases as variables', () => {
    const d = engine.diagnose('sqlalchemy.exc.MultipleResultsFound: Multiple rows were found when exactly one was required\n[SQL: SELECT users.id AS users_id FROM users WHERE users.email = $1]');
    expect(d.entities.models).not.toContain('Users');
    expect(d.entities.tables).toEqual(['users']);
  });

  it('prefers the class attribute in the failing line over another variable', () => {
    const trace = [
      'Traceback (most recent call last):',
      '  File "/app/app/api/auth.py", line 22, in login',
      '    user = (await session.execute(select(User).where(User.email == body.email))).scalar_one()',
      '  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/engine/result.py", line 1462, in scalar_one',
      '    return self._only_one_row(',
      'sqlalchemy.exc.NoResultFound: No row was found when one was required',
    ].join('\n');
    const d = engine.diagnose(trace);
    expect(d.entities.attributes[0]).toBe('User.email');
    expect(d.entities.models[0]).toBe('User');
  });

  it('reads Pydantic model and field names', () => {
    const d = engine.diagnose('pydantic_core._pydantic_core.ValidationError: 1 validation error for UserRead\norganization\n  Input should be a valid dictionary or instance of OrganizationRead [type=model_type, input_value=<app.models.Organization object at 0x7f3a2b0e1a40>, input_type=Organization]\n    For further information visit https://errors.pydantic.dev/2.5/v/model_type');
    expect(d.entities.models).toEqual(expect.arrayContaining(['Organization', 'UserRead']));
    expect(d.entities.fields).toEqual(['organization']);
    expect(d.facts.pydantic).toBe('2');
  });

  it('does not read pydantic type tags or FastAPI location prefixes as names', () => {
    const v1 = engine.diagnose('pydantic.error_wrappers.ValidationError: 1 validation error for ItemOut\nresponse\n  none is not an allowed value (type=type_error.none.not_allowed)');
    expect(v1.entities.models).toEqual(['ItemOut']);
    expect(v1.entities.attributes).toEqual([]);
    expect(v1.entities.fields).toEqual([]);
    const body = engine.diagnose('{"detail":[{"type":"missing","loc":["body","email"],"msg":"Field required","input":{"name":"Ana"}}]}');
    expect(body.match?.id).toBe('pydantic.field-required');
    const repr = engine.diagnose("fastapi.exceptions.ResponseValidationError: 1 validation errors:\n  {'type': 'missing', 'loc': ('response', 'owner_id'), 'msg': 'Field required', 'input': {}}");
    expect(repr.entities.fields).toEqual(['owner_id']);
  });

  it('reads multi-line warnings and pydantic deprecation categories', () => {
    const d = engine.diagnose("/app/.venv/lib/python3.12/site-packages/pydantic/_internal/_config.py:291: UserWarning: Valid config keys have changed in V2:\n* 'orm_mode' has been renamed to 'from_attributes'\n  warnings.warn(message, UserWarning)");
    expect(d.match?.id).toBe('pydantic.orm-mode-renamed');
    const dep = engine.diagnose('/app/app/schemas.py:14: PydanticDeprecatedSince20: The `from_orm` method is deprecated; set `model_config[\'from_attributes\']=True` and use `model_validate` instead.');
    expect(dep.error?.type).toBe('PydanticDeprecatedSince20');
  });
});

describe('pytest session header', () => {
  // Real headers: Debian 13's pytest 8.3.5 + pytest-asyncio 0.25.1, Debian 12's 7.2.1 + 0.20.3.
  const scopeMismatch = [
    '==================================== ERRORS ====================================',
    '__________________________ ERROR at setup of test_one __________________________',
    'ScopeMismatch: You tried to access the function scoped fixture event_loop with a session scoped request object. Requesting fixture stack:',
    'test_a.py:7:  def client()',
    '=========================== short test summary info ============================',
    'ERROR test_a.py::test_one - Failed: ScopeMismatch: You tried to access the fu...',
  ];
  const trixie = [
    '============================= test session starts ==============================',
    'platform linux -- Python 3.13.5, pytest-8.3.5, pluggy-1.5.0',
    'rootdir: /tmp/pa-x',
    'configfile: pytest.ini',
    'plugins: anyio-4.8.0, asyncio-0.25.1',
    'asyncio: mode=Mode.STRICT, asyncio_default_fixture_loop_scope=function',
    'collected 1 item',
    '',
    ...scopeMismatch,
  ].join('\n');
  const bookworm = [
    '============================= test session starts ==============================',
    'platform linux -- Python 3.11.2, pytest-7.2.1, pluggy-1.0.0+repack',
    'rootdir: /tmp/pa, configfile: pytest.ini',
    'plugins: asyncio-0.20.3, anyio-3.6.2',
    'asyncio: mode=Mode.STRICT',
    'collected 1 item',
    '',
    ...scopeMismatch,
  ].join('\n');

  it('reads the pytest-asyncio version from the plugins line, wherever it is listed', () => {
    expect(engine.diagnose(trixie).facts['pytest-asyncio']).toBe('0.25.1');
    expect(engine.diagnose(bookworm).facts['pytest-asyncio']).toBe('0.20.3');
  });

  it('reads pytest and Python from the platform line', () => {
    const facts = engine.diagnose(trixie).facts;
    expect(facts.pytest).toBe('8.3.5');
    expect(facts.python).toBe('3.13');
  });

  it('does not take another asyncio plugin for pytest-asyncio', () => {
    const paste = bookworm.replace('plugins: asyncio-0.20.3, anyio-3.6.2', 'plugins: asyncio-cooperative-0.30.0, anyio-3.6.2');
    expect(engine.diagnose(paste).facts['pytest-asyncio']).toBeUndefined();
    expect(engine.diagnose(scopeMismatch.join('\n')).facts['pytest-asyncio']).toBeUndefined();
  });

  it('picks the loop fix spelled for the pytest-asyncio version the header shows', () => {
    const old = engine.diagnose(bookworm).fixes.find((f) => f.id === 'set-fixture-loop-scope');
    expect(old?.form).toBe('event-loop-fixture');
    expect(old?.snippet).toContain('def event_loop():');
    const current = engine.diagnose(trixie).fixes.find((f) => f.id === 'set-fixture-loop-scope');
    expect(current?.form).toBeNull();
    expect(current?.snippet).toContain('loop_scope="session"');
  });
});
