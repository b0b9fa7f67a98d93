/**
 * Synthetic credentials with the formats real ones have (prefixes, lengths, alphabets,
 * checksums for card numbers), made from a seeded generator: nothing here was ever a real
 * credential. Each kind comes with the places such a secret turns up in error text (an env
 * dump, a log line, a DSN, a JSON body...), which the corpus builder plants into pastes.
 */

export type Rand = () => number;

export function seeded(seed: number): Rand {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '_-';

export function chars(rand: Rand, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  // Random strings of letters and digits almost always mix classes; make sure they do.
  if (alphabet === ALNUM && n >= 8 && !/\d/.test(out)) out = `${out.slice(0, -1)}7`;
  return out;
}

const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

function luhnComplete(rand: Rand, prefix: string, length: number): string {
  let body = prefix;
  while (body.length < length - 1) body += String(Math.floor(rand() * 10));
  for (let d = 0; d < 10; d++) {
    const candidate = body + d;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let x = candidate.charCodeAt(candidate.length - 1 - i) - 48;
      if (i % 2 === 1) {
        x *= 2;
        if (x > 9) x -= 9;
      }
      sum += x;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

const WORDS = ['orchid', 'Falcon', 'tundra', 'Maple', 'quartz', 'Ember', 'cobalt', 'Violet', 'harbor', 'Saffron'];
const SYMBOLS = ['!', '#', '%', '^', '*', '&', '+', '?', '~'];

/** A password people set: words, digits and symbols, sometimes with `@` or `:`. */
export function password(rand: Rand, opts: { at?: boolean } = {}): string {
  const parts = [pick(rand, WORDS), chars(rand, '0123456789', 2 + Math.floor(rand() * 3)), pick(rand, SYMBOLS), pick(rand, WORDS), chars(rand, ALNUM, 3)];
  if (opts.at) parts.splice(2, 0, '@');
  return parts.join('');
}

export interface SecretKind {
  kind: string;
  make(rand: Rand): string;
  /** Lines as they appear in error text; `{S}` is the secret. */
  contexts: string[];
}

export const KINDS: SecretKind[] = [
  { kind: 'slack-bot-token', make: (r) => `xoxb-${chars(r, '0123456789', 11)}-${chars(r, '0123456789', 13)}-${chars(r, ALNUM, 24)}`, contexts: ['slack_sdk.errors.SlackApiError: The request to the Slack API failed. (url: https://slack.com/api/chat.postMessage, token: {S})', 'SLACK_BOT_TOKEN={S}', '  "token": "{S}",'] },
  { kind: 'slack-user-token', make: (r) => `xoxp-${chars(r, '0123456789', 11)}-${chars(r, '0123456789', 11)}-${chars(r, '0123456789', 13)}-${chars(r, HEX, 32)}`, contexts: ['export SLACK_USER_TOKEN={S}', "client = WebClient(token='{S}')"] },
  { kind: 'slack-app-token', make: (r) => `xapp-1-A${chars(r, UPPER_NUM, 10)}-${chars(r, '0123456789', 13)}-${chars(r, HEX, 64)}`, contexts: ['SLACK_APP_TOKEN={S}'] },
  // The path is the secret; the host stays (it tells which service failed).
  { kind: 'slack-webhook', make: (r) => `T${chars(r, UPPER_NUM, 8)}/B${chars(r, UPPER_NUM, 10)}/${chars(r, ALNUM, 24)}`, contexts: ['requests.exceptions.HTTPError: 404 Client Error: Not Found for url: https://hooks.slack.com/services/{S}', 'ALERT_WEBHOOK_URL=https://hooks.slack.com/services/{S}'] },
  { kind: 'github-pat', make: (r) => `ghp_${chars(r, ALNUM, 36)}`, contexts: ['remote: Invalid username or token. https://x-access-token:{S}@github.com/acme/api.git', 'GITHUB_TOKEN={S}', "Authorization: token {S}"] },
  { kind: 'github-fine-grained', make: (r) => `github_pat_11${chars(r, UPPER_NUM, 20)}_${chars(r, ALNUM, 59)}`, contexts: ['GH_TOKEN={S}', 'fatal: could not read from https://{S}@github.com/acme/infra.git'] },
  { kind: 'github-app-token', make: (r) => `ghs_${chars(r, ALNUM, 36)}`, contexts: ['github.GithubException.BadCredentialsException: 401 using installation token {S}'] },
  { kind: 'gitlab-pat', make: (r) => `glpat-${chars(r, URLSAFE, 20)}`, contexts: ['CI_JOB_TOKEN={S}', 'gitlab.exceptions.GitlabAuthenticationError: 401: invalid token {S}'] },
  { kind: 'aws-access-key-id', make: (r) => `AKIA${chars(r, UPPER_NUM, 16)}`, contexts: ['botocore.exceptions.ClientError: An error occurred (InvalidAccessKeyId) when calling the PutObject operation: The AWS Access Key Id {S} you provided does not exist in our records.', 'AWS_ACCESS_KEY_ID={S}'] },
  { kind: 'aws-secret-access-key', make: (r) => chars(r, B64, 40), contexts: ['AWS_SECRET_ACCESS_KEY={S}', 'aws_secret_access_key = {S}', '    "SecretAccessKey": "{S}",'] },
  { kind: 'aws-session-token', make: (r) => `IQoJb3JpZ2luX2Vj${chars(r, B64, 180)}`, contexts: ['AWS_SESSION_TOKEN={S}', 'X-Amz-Security-Token: {S}'] },
  { kind: 'openai-key', make: (r) => `sk-proj-${chars(r, URLSAFE, 56)}T3BlbkFJ${chars(r, URLSAFE, 56)}`, contexts: ['openai.AuthenticationError: Error code: 401 - Incorrect API key provided: {S}', 'OPENAI_API_KEY={S}'] },
  { kind: 'anthropic-key', make: (r) => `sk-ant-api03-${chars(r, URLSAFE, 93)}AA`, contexts: ['ANTHROPIC_API_KEY={S}', "anthropic.AuthenticationError: invalid x-api-key '{S}'"] },
  { kind: 'stripe-secret-key', make: (r) => `sk_live_${chars(r, ALNUM, 99)}`, contexts: ['stripe.error.AuthenticationError: Invalid API Key provided: {S}', 'STRIPE_SECRET_KEY={S}'] },
  { kind: 'stripe-restricted-key', make: (r) => `rk_live_${chars(r, ALNUM, 40)}`, contexts: ['stripe.api_key = "{S}"'] },
  { kind: 'stripe-webhook-secret', make: (r) => `whsec_${chars(r, ALNUM, 32)}`, contexts: ['stripe.error.SignatureVerificationError: No signatures found matching the expected signature for payload (secret {S})', 'STRIPE_WEBHOOK_SECRET={S}'] },
  { kind: 'google-api-key', make: (r) => `AIza${chars(r, URLSAFE, 35)}`, contexts: ['googleapiclient.errors.HttpError: <HttpError 403 when requesting https://maps.googleapis.com/maps/api/geocode/json?address=x&key={S} returned "denied">', 'GOOGLE_MAPS_KEY={S}'] },
  { kind: 'google-oauth-secret', make: (r) => `GOCSPX-${chars(r, URLSAFE, 28)}`, contexts: ['  "client_secret": "{S}",', 'GOOGLE_CLIENT_SECRET={S}'] },
  { kind: 'npm-token', make: (r) => `npm_${chars(r, ALNUM, 36)}`, contexts: ['NPM_TOKEN={S}', '//registry.npmjs.org/:_authToken={S}'] },
  { kind: 'npm-legacy-token', make: (r) => `${chars(r, HEX, 8)}-${chars(r, HEX, 4)}-${chars(r, HEX, 4)}-${chars(r, HEX, 4)}-${chars(r, HEX, 12)}`, contexts: ['//registry.npmjs.org/:_authToken={S}'] },
  { kind: 'pypi-token', make: (r) => `pypi-AgEIcHlwaS5vcmc${chars(r, URLSAFE, 70)}`, contexts: ['TWINE_PASSWORD={S}', 'password = {S}'] },
  { kind: 'twilio-api-key', make: (r) => `SK${chars(r, HEX, 32)}`, contexts: ['twilio.base.exceptions.TwilioRestException: HTTP 401 error: Unable to create record: Authenticate (api key {S})', 'TWILIO_API_KEY={S}'] },
  { kind: 'twilio-auth-token', make: (r) => chars(r, HEX, 32), contexts: ['TWILIO_AUTH_TOKEN={S}', "    auth_token = '{S}'"] },
  { kind: 'sendgrid-key', make: (r) => `SG.${chars(r, URLSAFE, 22)}.${chars(r, URLSAFE, 43)}`, contexts: ['python_http_client.exceptions.UnauthorizedError: HTTP Error 401: Unauthorized (key {S})', 'SENDGRID_API_KEY={S}'] },
  { kind: 'mailgun-key', make: (r) => `key-${chars(r, HEX, 32)}`, contexts: ["requests.auth.HTTPBasicAuth('api', '{S}')", 'MAILGUN_API_KEY={S}'] },
  { kind: 'huggingface-token', make: (r) => `hf_${chars(r, ALNUM, 34)}`, contexts: ['huggingface_hub.errors.HfHubHTTPError: 401 Client Error: Unauthorized (token {S})', 'HF_TOKEN={S}'] },
  { kind: 'jwt', make: (r) => `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${chars(r, URLSAFE, 60)}.${chars(r, URLSAFE, 43)}`, contexts: ['jwt.exceptions.ExpiredSignatureError: Signature has expired (token={S})', 'INFO:     127.0.0.1:51234 - "GET /api/me?access_token={S} HTTP/1.1" 401'] },
  { kind: 'azure-storage-key', make: (r) => `${chars(r, B64, 86)}==`, contexts: ['AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey={S};EndpointSuffix=core.windows.net'] },
  { kind: 'azure-sas-signature', make: (r) => `${chars(r, ALNUM, 20)}%2B${chars(r, ALNUM, 18)}%3D`, contexts: ['azure.core.exceptions.ClientAuthenticationError: Server failed to authenticate the request. URL: https://acmeprod.blob.core.windows.net/exports/report.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2024-06-01T00:00:00Z&sig={S}'] },
  { kind: 'azure-ad-client-secret', make: (r) => `${chars(r, ALNUM, 3)}8Q~${chars(r, URLSAFE, 34)}`, contexts: ['AZURE_CLIENT_SECRET={S}', 'msal: invalid_client: AADSTS7000215: Invalid client secret provided ({S})'] },
  { kind: 'digitalocean-token', make: (r) => `dop_v1_${chars(r, HEX, 64)}`, contexts: ['DIGITALOCEAN_TOKEN={S}'] },
  { kind: 'shopify-token', make: (r) => `shpat_${chars(r, HEX, 32)}`, contexts: ['shopify.api_access_token: {S}', 'X-Shopify-Access-Token: {S}'] },
  { kind: 'vault-token', make: (r) => `hvs.${chars(r, URLSAFE, 90)}`, contexts: ['VAULT_TOKEN={S}', 'hvac.exceptions.Forbidden: permission denied, on get https://vault.internal:8200/v1/secret/data/app (X-Vault-Token: {S})'] },
  { kind: 'sentry-auth-token', make: (r) => `sntrys_${chars(r, ALNUM, 80)}`, contexts: ['SENTRY_AUTH_TOKEN={S}'] },
  { kind: 'sentry-dsn-key', make: (r) => chars(r, HEX, 32), contexts: ['SENTRY_DSN=https://{S}@o450123.ingest.sentry.io/5912345'] },
  { kind: 'telegram-bot-token', make: (r) => `${chars(r, '123456789', 10)}:AA${chars(r, URLSAFE, 33)}`, contexts: ['telegram.error.InvalidToken: Invalid token (https://api.telegram.org/bot{S}/getMe)'] },
  { kind: 'databricks-token', make: (r) => `dapi${chars(r, HEX, 32)}`, contexts: ['DATABRICKS_TOKEN={S}'] },
  { kind: 'grafana-token', make: (r) => `glsa_${chars(r, ALNUM, 32)}_${chars(r, HEX, 8)}`, contexts: ['GRAFANA_TOKEN={S}'] },
  { kind: 'private-key', make: (r) => Array.from({ length: 6 }, () => chars(r, B64, 64)).join('\n'), contexts: ['-----BEGIN RSA PRIVATE KEY-----\n{S}\n-----END RSA PRIVATE KEY-----'] },
  { kind: 'dsn-password', make: (r) => password(r), contexts: ['sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to postgresql://orders_app:{S}@db.prod.internal:5432/orders failed', 'DATABASE_URL=postgresql+asyncpg://app:{S}@10.0.3.17:5432/app', 'CELERY_BROKER_URL=redis://:{S}@cache.internal:6379/0'] },
  { kind: 'dsn-password-with-at', make: (r) => password(r, { at: true }), contexts: ['DATABASE_URL=postgresql://billing:{S}@billing-db.internal:5432/billing', 'engine = create_engine("mysql+pymysql://root:{S}@mysql:3306/shop")'] },
  { kind: 'dsn-password-percent-encoded', make: (r) => `${pick(r, WORDS)}%40${chars(r, ALNUM, 6)}%23${chars(r, '0123456789', 3)}`, contexts: ['MONGO_URL=mongodb+srv://reporting:{S}@cluster0.ab1cd.mongodb.net/reports?retryWrites=true'] },
  { kind: 'env-password', make: (r) => password(r), contexts: ['PGPASSWORD={S}', 'DB_PASS={S}', 'MYSQL_ROOT_PASSWORD={S}', 'export REDIS_PASSWORD="{S}"'] },
  { kind: 'env-secret', make: (r) => chars(r, ALNUM, 20 + Math.floor(r() * 30)), contexts: ['DJANGO_SECRET_KEY={S}', 'JWT_SECRET={S}', 'SESSION_SECRET={S}', 'APP_CLIENT_SECRET={S}'] },
  { kind: 'cli-password-flag', make: (r) => password(r), contexts: ['$ pg_dump --dbname=orders --username=backup --password={S} --host=db.internal', "+ mysql -h mysql.internal -u root -p'{S}' shop", '$ docker login --username deploy --password {S} registry.acme.io'] },
  { kind: 'sql-identified-by', make: (r) => password(r), contexts: ["ERROR 1396 (HY000): Operation CREATE USER failed for 'report'@'%' -- CREATE USER 'report'@'%' IDENTIFIED BY '{S}'"] },
  { kind: 'sql-password-literal', make: (r) => password(r), contexts: ["psycopg2.errors.DuplicateObject: role \"analytics\" already exists\n[SQL: CREATE ROLE analytics WITH LOGIN PASSWORD '{S}']", "STATEMENT:  ALTER USER app WITH PASSWORD '{S}'"] },
  { kind: 'json-token-field', make: (r) => chars(r, URLSAFE, 32 + Math.floor(r() * 20)), contexts: ['{"accessToken": "{S}", "expiresIn": 3600}', '{"refresh_token":"{S}","token_type":"Bearer"}', '  "clientSecret": "{S}",', '"api_key": "{S}"'] },
  { kind: 'yaml-secret-field', make: (r) => chars(r, ALNUM, 24), contexts: ['  client_secret: {S}', '    password: {S}', '  apiKey: "{S}"'] },
  { kind: 'session-value', make: (r) => chars(r, ALNUM, 32), contexts: ['django.security.SuspiciousSession: Session data corrupted (sessionid={S})', 'WARNING csrf failed: csrftoken={S} path=/admin/login/', 'redirect to /login?session_id={S}&next=/'] },
  { kind: 'csrf-header', make: (r) => chars(r, ALNUM, 40), contexts: ['X-CSRF-Token: {S}', "    'X-CSRFToken': '{S}',"] },
  { kind: 'bearer-token', make: (r) => chars(r, URLSAFE, 40), contexts: ["httpx.HTTPStatusError: Client error '401 Unauthorized' (headers {'Authorization': 'Bearer {S}'})", 'curl -H "Authorization: Bearer {S}" https://api.internal/v1/orders'] },
  { kind: 'basic-auth', make: (r) => Buffer.from(`svc-${chars(r, ALNUM, 6)}:${password(r)}`).toString('base64'), contexts: ['Authorization: Basic {S}', "headers={'authorization': 'Basic {S}'}"] },
  { kind: 'curl-user', make: (r) => password(r), contexts: ['$ curl -u admin:{S} https://registry.internal/v2/_catalog'] },
  { kind: 'cookie-header', make: (r) => chars(r, ALNUM, 32), contexts: ['Cookie: sessionid={S}; theme=dark', 'Set-Cookie: remember_token={S}; Path=/; HttpOnly'] },
  { kind: 'card-number-visa', make: (r) => luhnComplete(r, '4', 16), contexts: ["[parameters: ('{S}', 'Hanako Yamada', 1299)]", 'DETAIL:  Key (card_number)=({S}) already exists.', "payment failed for card {S} (order 1182)", "LOG:  execute <unnamed>: INSERT INTO payments (card) VALUES ($1)\nDETAIL:  parameters: $1 = '{S}'"] },
  { kind: 'card-number-mastercard', make: (r) => luhnComplete(r, pick(r, ['51', '53', '55', '22']), 16).replace(/(\d{4})(?=\d)/g, '$1 '), contexts: ["{'card': '{S}', 'exp': '04/27'}", 'charge declined: card={S}'] },
  { kind: 'card-number-amex', make: (r) => luhnComplete(r, pick(r, ['34', '37']), 15), contexts: ['ValueError: invalid card {S} for merchant 88'] },
  { kind: 'email', make: (r) => `${pick(r, WORDS).toLowerCase()}.${chars(r, 'abcdefghijklmnopqrstuvwxyz', 6)}@${pick(r, ['acme-corp.io', 'example.co.jp', 'mail.shop.jp'])}`, contexts: ['DETAIL:  Key (email)=({S}) already exists.', 'pydantic_core._pydantic_core.ValidationError: 1 validation error for UserCreate\nemail\n  value is not a valid email address [type=value_error, input_value=\'{S}\', input_type=str]'] },
  { kind: 'ssh-password', make: (r) => password(r), contexts: ["+ sshpass -p '{S}' ssh deploy@10.0.4.12 'systemctl restart api'"] },
  { kind: 'generic-api-key', make: (r) => chars(r, HEX, 40), contexts: ['DD_API_KEY={S}', 'X-Api-Key: {S}', 'NEW_RELIC_LICENSE_KEY={S}'] },
];
