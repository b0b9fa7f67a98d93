"""AttributeError: 'AsyncSession' object has no attribute 'query'
(knowledge/faults/sqlalchemy/asyncsession-no-query.yaml).

Code written for the sync Session's legacy Query API (`session.query(User).filter_by(...)`) is
handed an AsyncSession, which never had `.query()` (1.4 and 2.0 alike).
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def session_query(fix):
    m = kit.define()
    engine = await kit.async_engine(m)
    async with AsyncSession(engine) as session:
        if fix is None:
            users = session.query(m.User).filter_by(organization_id=1).all()
        elif fix == "select-execute":
            result = await session.execute(select(m.User).where(m.User.organization_id == 1))
            users = result.scalars().all()
        elif fix == "run-sync":
            users = await session.run_sync(lambda s: s.query(m.User).filter_by(organization_id=1).all())
        else:
            raise labkit.UnknownFix(fix)
        assert [u.name for u in users], users
    await engine.dispose()


labkit.run({"session-query": session_query})
