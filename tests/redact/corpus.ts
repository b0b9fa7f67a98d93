/**
 * Real-looking pastes with planted secrets of every kind the redactor knows. `secrets` must all
 * be gone after redaction; `names` (models, attributes, tables, columns, exception types) must
 * all still be there. Token-shaped values are assembled at run time so that secret scanners
 * do not flag this file.
 */

const j = (...parts: string[]): string => parts.join('');

export const SECRET = {
  dsnPassword: 'Sup3r-S3cret!x',
  redisPassword: 'r3d1s-p4ss',
  pairPassword: 'hunter2hunter2',
  slackBot: j('xox', 'b-', '2048120233-', '7261902349221-', 'q8Wn3kXbPzL0aR5tY2uV9cDe'),
  slackUser: j('xox', 'p-', '2048120233-', '1234567890-', '7261902349221-', 'f00dfacef00dfacef00dfacef00dface'),
  slackApp: j('xa', 'pp-', '1-', 'A05KX2B3C4D-', '6012345678901-', '9f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e'),
  openai: j('s', 'k-', 'proj-', 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa', 'T3BlbkFJ', 'aBcDeFgHiJkLmNoPqRsT'),
  openaiLegacy: j('s', 'k-', 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90Uv12Wx34'),
  awsAccessKey: 'AKIAIOSFODNN7EXAMPLE',
  awsSessionKey: j('AS', 'IA', 'Y3FAKEKEY0EXAMPLE'),
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  awsSecret2: j('je7MtGbClwBF', '/2Zp9Utk/h3yCo8nvbEXAMPLEKEY'),
  github: j('gh', 'p_', 'R4nd0mL00k1ngT0k3nV4lu3F0rT3st1ngXyZ'),
  githubOauth: j('gh', 'o_', '16C7e42F292c6912E7710c838347Ae178B4a'),
  githubPat: j('github', '_pat_', '11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01'),
  jwt: j(
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.',
    'eyJzdWIiOiI0MiIsImVtYWlsIjoiaGFuYWtvQGV4YW1wbGUuY28uanAiLCJleHAiOjE3MDAwMDAwMDB9', '.',
    'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  ),
  bearer: 'opaque-access-token-7f3a9c21d4',
  basic: 'YWxpY2U6d29uZGVybGFuZA==',
  privateKeyBody: 'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8gA8G7Rt6Rb2rLSg0x1X0hqv',
  privateKeyBody2: 'q2yTxA4rFAKEb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB',
  email: 'hanako.yamada@example.co.jp',
  email2: 'ops+alerts@acme-corp.io',
  paramValue: 'Hanako Yamada',
  paramValue2: '090-1234-5678',
  pydanticInput: 'Taro Suzuki',
  clientSecret: 'cs_9f8e7d6c5b4a39281706',
  stripe: j('s', 'k_live_', '51HxYzAbCdEfGhIjKlMnOpQr'),
  webhook: j('T0000FAKE/', 'B0000FAKE/', 'XXXXXXXXFAKEXXXXXXXXXXXX'),
} as const;

export interface CorpusEntry {
  name: string;
  text: string;
  secrets: string[];
  names: string[];
}

export const CORPUS: CorpusEntry[] = [
  {
    name: 'asyncpg connection string in the engine line and SQL parameters',
    text: `Traceback (most recent call last):
  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 1967, in _exec_single_context
    self.dialect.do_execute(
  File "/app/app/db.py", line 12, in <module>
    engine = create_async_engine("postgresql+asyncpg://orders_app:${SECRET.dsnPassword}@db.prod.internal:5432/orders")
  File "/app/app/api/users.py", line 41, in get_user_by_email
    result = await session.execute(select(User).where(User.email == email))
sqlalchemy.exc.InterfaceError: (sqlalchemy.dialects.postgresql.asyncpg.InterfaceError) <class 'asyncpg.exceptions._base.InterfaceError'>: cannot perform operation: another operation is in progress
[SQL: SELECT users.id, users.email, users.organization_id FROM users WHERE users.email = $1::VARCHAR]
[parameters: ('${SECRET.email}',)]
(Background on this error at: https://sqlalche.me/e/20/rvf5)`,
    secrets: [SECRET.dsnPassword, SECRET.email],
    names: ['User.email', 'users.organization_id', 'FROM users', 'InterfaceError', 'app/api/users.py', 'get_user_by_email', 'sqlalche.me/e/20/rvf5', 'orders_app', 'db.prod.internal'],
  },
  {
    name: 'pytest MissingGreenlet with a JWT in the request headers',
    text: `    async def test_profile(client, user):
        resp = await client.get("/me", headers={"Authorization": "Bearer ${SECRET.jwt}"})
>       assert resp.json()["organization"]["name"] == user.organization.name

tests/test_profile.py:18:
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _
.venv/lib/python3.12/site-packages/sqlalchemy/orm/attributes.py:566: in __get__
    return self.impl.get(state, dict_)
E       sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place? (Background on this error at: https://sqlalche.me/e/20/xd2s)`,
    secrets: [SECRET.jwt],
    names: ['user.organization.name', 'MissingGreenlet', 'test_profile', 'tests/test_profile.py:18', 'orm/attributes.py:566', 'xd2s'],
  },
  {
    name: 'Slack SDK error log with bot, user and app-level tokens',
    text: `2024-05-02 10:11:12,345 ERROR slack_bolt.App Failed to run listener function (error: The request to the Slack API failed. (url: https://slack.com/api/chat.postMessage)
The server responded with: {'ok': False, 'error': 'invalid_auth'})
DEBUG token=${SECRET.slackBot} user_token: ${SECRET.slackUser}
SLACK_APP_TOKEN=${SECRET.slackApp}
Traceback (most recent call last):
  File "/srv/bot/listeners/messages.py", line 22, in handle_paste
    client.chat_postMessage(channel=channel_id, thread_ts=ts, text=reply)
slack_sdk.errors.SlackApiError: The request to the Slack API failed. (url: https://slack.com/api/chat.postMessage)`,
    secrets: [SECRET.slackBot, SECRET.slackUser, SECRET.slackApp],
    names: ['SlackApiError', 'chat_postMessage', 'handle_paste', 'invalid_auth', 'channel_id'],
  },
  {
    name: 'OpenAI authentication error echoing the key',
    text: `Traceback (most recent call last):
  File "/home/dev/projects/helper/app/summarise.py", line 9, in summarise
    resp = client.chat.completions.create(model="gpt-4o-mini", messages=messages)
openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: ${SECRET.openai}. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'code': 'invalid_api_key'}}
OPENAI_API_KEY=${SECRET.openaiLegacy}`,
    secrets: [SECRET.openai, SECRET.openaiLegacy],
    names: ['AuthenticationError', 'chat.completions.create', 'invalid_api_key', 'summarise'],
  },
  {
    name: 'boto3 error with credentials in an env dump and a config file',
    text: `botocore.exceptions.ClientError: An error occurred (InvalidAccessKeyId) when calling the PutObject operation: The AWS Access Key Id you provided does not exist in our records.
env:
  AWS_ACCESS_KEY_ID=${SECRET.awsAccessKey}
  AWS_SECRET_ACCESS_KEY=${SECRET.awsSecret}
~/.aws/credentials:
[default]
aws_access_key_id = ${SECRET.awsSessionKey}
aws_secret_access_key = ${SECRET.awsSecret2}
  File "/app/app/storage.py", line 30, in upload_invoice
    s3.put_object(Bucket=bucket, Key=f"invoices/{invoice.id}.pdf", Body=data)`,
    secrets: [SECRET.awsAccessKey, SECRET.awsSecret, SECRET.awsSessionKey, SECRET.awsSecret2],
    names: ['ClientError', 'InvalidAccessKeyId', 'PutObject', 'upload_invoice', 'invoice.id', 'put_object'],
  },
  {
    name: 'git and GitHub API failures with tokens',
    text: `subprocess.CalledProcessError: Command '['git', 'clone', 'https://x-access-token:${SECRET.github}@github.com/acme/orders-api.git']' returned non-zero exit status 128.
github.GithubException.BadCredentialsException: 401 {"message": "Bad credentials"} (token ${SECRET.githubOauth})
GH_TOKEN=${SECRET.githubPat}`,
    secrets: [SECRET.github, SECRET.githubOauth, SECRET.githubPat],
    names: ['CalledProcessError', 'BadCredentialsException', 'github.com/acme/orders-api.git'],
  },
  {
    name: 'private keys in a settings dump (PEM and truncated OpenSSH)',
    text: `ValueError: ('Could not deserialize key data. The data may be in an incorrect format', [<OpenSSLError(code=503841036, lib=60, reason=524556, reason_text=unsupported)>])
settings.JWT_PRIVATE_KEY = """${j('-----BEGIN ', 'RSA PRIVATE KEY-----')}
${SECRET.privateKeyBody}
FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE
${j('-----END ', 'RSA PRIVATE KEY-----')}"""
deploy_key: ${j('-----BEGIN ', 'OPENSSH PRIVATE KEY-----')}
${SECRET.privateKeyBody2}
  File "/app/app/auth/tokens.py", line 14, in load_signing_key
    return serialization.load_pem_private_key(pem, password=None)`,
    secrets: [SECRET.privateKeyBody, SECRET.privateKeyBody2, 'FAKEFAKEFAKEFAKEFAKEFAKE'],
    names: ['ValueError', 'load_signing_key', 'load_pem_private_key', 'app/auth/tokens.py', 'JWT_PRIVATE_KEY'],
  },
  {
    name: 'pydantic validation error echoing the input',
    text: `pydantic_core._pydantic_core.ValidationError: 2 validation errors for UserCreate
email
  value is not a valid email address: An email address must have an @-sign. [type=value_error, input_value='${SECRET.email2}x', input_type=str]
password
  Field required [type=missing, input_value={'name': '${SECRET.pydanticInput}', 'email': '${SECRET.email}', 'password_confirm': '${SECRET.pairPassword}'}, input_type=dict]
    For further information visit https://errors.pydantic.dev/2.9/v/missing`,
    secrets: [SECRET.email2, SECRET.pydanticInput, SECRET.email, SECRET.pairPassword],
    names: ['UserCreate', 'ValidationError', '\nemail\n', '\npassword\n', 'type=missing', 'input_type=dict', 'errors.pydantic.dev/2.9/v/missing'],
  },
  {
    name: 'IntegrityError with a DETAIL e-mail and parameters holding a password hash and phone',
    text: `sqlalchemy.exc.IntegrityError: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint "users_email_key"
DETAIL:  Key (email)=(${SECRET.email}) already exists.

[SQL: INSERT INTO users (email, full_name, phone, password_hash, organization_id) VALUES (%(email)s, %(full_name)s, %(phone)s, %(password_hash)s, %(organization_id)s) RETURNING users.id]
[parameters: {'email': '${SECRET.email}', 'full_name': '${SECRET.paramValue}', 'phone': '${SECRET.paramValue2}', 'password_hash': '$2b$12$abcdefghijklmnopqrstuv', 'organization_id': 7}]
(Background on this error at: https://sqlalche.me/e/20/gkpj)`,
    secrets: [SECRET.email, SECRET.paramValue, SECRET.paramValue2, '$2b$12$abcdefghijklmnopqrstuv'],
    names: ['users_email_key', 'Key (email)', 'INSERT INTO users', 'password_hash', 'organization_id', 'RETURNING users.id', 'UniqueViolation', 'gkpj'],
  },
  {
    name: 'libpq keyword string, redis URL and client secret',
    text: `psycopg2.OperationalError: connection to server at "10.0.3.17", port 5432 failed: FATAL:  password authentication failed for user "orders_app"
  dsn: host=db.prod.internal port=5432 user=orders_app password=${SECRET.pairPassword} dbname=orders sslmode=require
celery.exceptions: Cannot connect to redis://:${SECRET.redisPassword}@redis-master:6379/0: Error 111 connecting to redis-master:6379. Connection refused.
OAUTH_CLIENT_SECRET="${SECRET.clientSecret}"
stripe.error.AuthenticationError: Invalid API Key provided: ${SECRET.stripe}`,
    secrets: [SECRET.pairPassword, SECRET.redisPassword, SECRET.clientSecret, SECRET.stripe],
    names: ['OperationalError', 'orders_app', 'dbname=orders', 'sslmode=require', 'redis-master:6379', 'AuthenticationError'],
  },
  {
    name: 'httpx error with auth headers and a Slack webhook',
    text: `httpx.HTTPStatusError: Client error '401 Unauthorized' for url 'https://api.internal.acme.io/v1/orders'
request headers: {'authorization': 'Basic ${SECRET.basic}', 'user-agent': 'python-httpx/0.27.0'}
retrying the webhook with bearer ${SECRET.bearer} after refresh
notify failed: POST https://hooks.slack.com/services/${SECRET.webhook} -> 404 no_service`,
    secrets: [SECRET.basic, SECRET.bearer, SECRET.webhook],
    names: ['HTTPStatusError', 'api.internal.acme.io/v1/orders', 'user-agent', 'no_service'],
  },
  {
    name: 'a structured JSON log line with escaped newlines',
    text: JSON.stringify({
      level: 'error',
      logger: 'app.api.orders',
      user: SECRET.email2,
      exc_info: `Traceback (most recent call last):\n  File "/app/app/api/orders.py", line 88, in create_order\n    await session.commit()\nsqlalchemy.exc.IntegrityError: (asyncpg.exceptions.ForeignKeyViolationError) insert or update on table "orders" violates foreign key constraint "orders_customer_id_fkey"\n[SQL: INSERT INTO orders (customer_id, note) VALUES ($1::INTEGER, $2::VARCHAR)]\n[parameters: (42, '${SECRET.paramValue} called, wants refund [urgent]')]\n(Background on this error at: https://sqlalche.me/e/20/gkpj)`,
      db_url: `postgresql+asyncpg://orders_app:${SECRET.dsnPassword}@db.prod.internal/orders`,
    }),
    secrets: [SECRET.email2, SECRET.paramValue, 'wants refund', SECRET.dsnPassword],
    names: ['create_order', 'ForeignKeyViolationError', 'orders_customer_id_fkey', 'INSERT INTO orders (customer_id, note)', 'gkpj', 'app.api.orders'],
  },
];
