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
