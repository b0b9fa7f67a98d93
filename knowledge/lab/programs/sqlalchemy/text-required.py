"""ArgumentError / ObjectNotExecutableError: a plain SQL string where SQLAlchemy wants text()."""
import asyncio

from sqlalchemy import Column, Integer, String, select

import labkit
from kits import orm_mapping as kit


def models():
    Base = kit.base()

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        email = Column(String(200))
        name = Column(String(100))

    return Base, User


def execute_plain_string(fix):
    """await session.execute("SELECT id, email FROM users") on an AsyncSession."""
    kit.expect_fix(fix, "wrap-in-text", "exec-driver-sql")
    Base, User = models()

    async def main():
        session = await kit.async_pg_session(Base)
        async with session:
            session.add(User(id=7, email="ada@example.com"))
            await session.commit()
            user_id = 7
            if fix == "wrap-in-text":
                from sqlalchemy import text

                result = await session.execute(text("SELECT id, email FROM users"))
                assert len(result.all()) == 1
                # values as bound parameters, never f-strings:
                result = await session.execute(
                    text("SELECT id, email FROM users WHERE id = :user_id"), {"user_id": user_id}
                )
                assert result.one().email == "ada@example.com"
            elif fix == "exec-driver-sql":
                engine = session.bind
                async with engine.connect() as conn:
                    await conn.exec_driver_sql("SELECT id, email FROM users")
            else:
                result = await session.execute("SELECT id, email FROM users")
                assert len(result.all()) == 1
                if not kit.is_2x():
                    raise labkit.NotApplicable("SQLAlchemy 1.4.46 runs a plain string here (deprecated, no error)")

    asyncio.run(main())


def string_fragment(fix):
    """select(User).where("email = 'ada@example.com'") and .order_by("id desc")."""
    kit.expect_fix(fix, "use-expressions", "text-fragment")
    Base, User = models()
    session = kit.pg_session(Base)
    session.add(User(email="ada@example.com", name="Ada"))
    session.commit()
    value = "ada@example.com"
    if fix == "use-expressions":
        from sqlalchemy import column, literal_column

        stmt = select(User).where(User.email == value).order_by(User.id.desc())
        assert session.execute(stmt).scalar_one().name == "Ada"
        # a column by name / an SQL expression as a column:
        stmt = select(column("name"), literal_column("count(*)")).select_from(User).group_by(column("name"))
        assert session.execute(stmt).one() == ("Ada", 1)
    elif fix == "text-fragment":
        from sqlalchemy import text

        stmt = select(User).where(text("email = 'ada@example.com'"))
        assert session.execute(stmt).scalar_one().name == "Ada"
        # 1.x Query API:
        assert session.query(User).filter(text("email = 'ada@example.com'")).one().name == "Ada"
        # with a value:
        assert session.query(User).filter(text("email = :email")).params(email=value).one().name == "Ada"
    else:
        stmt = select(User).where("email = 'ada@example.com'")
        session.execute(stmt).scalar_one()


def string_column(fix):
    """select("name").select_from(User): a column given as a string."""
    kit.expect_fix(fix, "use-expressions")
    Base, User = models()
    session = kit.pg_session(Base)
    session.add(User(email="ada@example.com", name="Ada"))
    session.commit()
    if fix == "use-expressions":
        from sqlalchemy import column, literal_column

        stmt = select(column("name"), literal_column("count(*)")).select_from(User).group_by(column("name"))
        assert session.execute(stmt).one() == ("Ada", 1)
    else:
        stmt = select("name").select_from(User)
        session.execute(stmt).all()


def alembic_migration(fix):
    """A data migration calls op.get_bind().execute("UPDATE ...") with a plain string."""
    kit.expect_fix(fix, "alembic-op-execute")
    engine = kit.pg_engine()
    with engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(text("CREATE TABLE users (id serial PRIMARY KEY, email text, active boolean)"))
        conn.execute(text("INSERT INTO users (email) VALUES ('ada@example.com')"))
    statement = "UPDATE users SET active = true WHERE active IS NULL"
    if fix == "alembic-op-execute":
        body = f'''
            op.execute("{statement}")
            # or, when you need the result:
            rows = op.get_bind().execute(sa.text("SELECT id FROM users WHERE active")).fetchall()
            assert len(rows) == 1
        '''
    else:
        body = f'op.get_bind().execute("{statement}")'
    kit.alembic_upgrade(labkit.pg_url("psycopg2"), body)
    with engine.connect() as conn:
        if conn.execute(text("SELECT count(*) FROM users WHERE active")).scalar() != 1:
            raise SystemExit("the migration did not update the row")
    if fix is None and not kit.is_2x():
        raise labkit.NotApplicable("SQLAlchemy 1.4.46 runs a plain string here (deprecated, no error)")


labkit.run({
    "execute-plain-string": execute_plain_string,
    "string-fragment-in-query": string_fragment,
    "string-column-in-select": string_column,
    "alembic-migration": alembic_migration,
})
