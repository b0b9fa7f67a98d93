"""value too long for type character varying(n) (22001), through psycopg2 and asyncpg.

column-too-short: a 64-character token into a varchar(40) column.
"""
from kits.pg_errors import admin, both_drivers, execute, expect_fix

import labkit


def column_too_short(driver, fix):
    expect_fix(fix, ["widen-column", "validate-length"])
    admin("CREATE TABLE api_tokens (id serial PRIMARY KEY, token varchar(40) NOT NULL)")
    token = "f" * 64
    if fix == "widen-column":  # the migration: ALTER COLUMN ... TYPE varchar(128) (or text)
        admin("ALTER TABLE api_tokens ALTER COLUMN token TYPE varchar(128)")
    if fix == "validate-length":
        from pydantic import BaseModel, ValidationError, constr

        class TokenIn(BaseModel):
            token: constr(max_length=40)

        try:
            TokenIn(token=token)
        except ValidationError:
            return  # rejected before the database, as a 422 would be
        raise AssertionError("the validator let a 64-character token through")
    execute(driver, [f"INSERT INTO api_tokens (token) VALUES ('{token}')"])


labkit.run(both_drivers({"column-too-short": column_too_short}))
