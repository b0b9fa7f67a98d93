/**
 * An error the catalogue does not know (a PL/pgSQL trigger's RAISE EXCEPTION, P0001: the
 * catalogue has the constraint violations, CHECK included since issue 14, which come back as the
 * nearest faults), pasted with the things people paste along with it.
 */
export const SECRETS = {
  dsnPassword: 'Sup3rS3cretPw',
  openaiKey: 'sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0',
  slackToken: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  awsAccessKey: 'AKIAIOSFODNN7EXAMPLE',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  email: 'jane.doe@acme-corp.io',
  opsEmail: 'oncall@acme-corp.io',
  sqlParameter: 'Fernhill Road 12',
} as const;

export const HOST = 'db-primary.acme.internal';

export const UNKNOWN_ERROR = `Traceback (most recent call last):
  File "/srv/acme/app/services/billing.py", line 88, in charge
    await session.commit()
  File "/srv/acme/.venv/lib/python3.12/site-packages/sqlalchemy/ext/asyncio/session.py", line 1012, in commit
    await greenlet_spawn(self.sync_session.commit)
sqlalchemy.exc.InternalError: (psycopg2.errors.RaiseException) order total must not be negative
DETAIL:  order for ${SECRETS.email}: total -5
CONTEXT:  PL/pgSQL function orders_check_total() line 4 at RAISE
[SQL: INSERT INTO orders (customer_email, street, total) VALUES (%(customer_email)s, %(street)s, %(total)s) RETURNING orders.id]
[parameters: {'customer_email': '${SECRETS.email}', 'street': '${SECRETS.sqlParameter}', 'total': -5}]
(Background on this error at: https://sqlalche.me/e/20/2j85)
engine url: postgresql+psycopg2://billing:${SECRETS.dsnPassword}@${HOST}:5432/billing
OPENAI_API_KEY=${SECRETS.openaiKey}
SLACK_BOT_TOKEN=${SECRETS.slackToken}
AWS_ACCESS_KEY_ID=${SECRETS.awsAccessKey}
AWS_SECRET_ACCESS_KEY=${SECRETS.awsSecret}
contact ops: ${SECRETS.opsEmail}
`;

/** Another unknown error, for budget tests that need a second fingerprint. */
// Not in the catalogue (ResourceClosedError was, until kb-sqla added sqlalchemy.result-no-rows).
export const OTHER_UNKNOWN_ERROR = `sqlalchemy.exc.CircularDependencyError: Circular dependency detected. (ProcessAll(ManyToOneDP(Node.parent)), SaveUpdateAll(Mapper[Node(nodes)]))
`;

/** The secret values a request, a log line or a stored row must never contain. */
export function leakedSecrets(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}
