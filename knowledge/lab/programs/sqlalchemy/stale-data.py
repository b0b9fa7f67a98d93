"""StaleDataError (knowledge/faults/sqlalchemy/stale-data.yaml).

An UPDATE matches no row because our own bulk DELETE (synchronize_session=False) removed it, or
because another transaction bumped the version_id_col.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import Column, Integer, delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession


async def _commit(session, fix, model):
    """The commit that fails; retry-or-conflict wraps it as the fault file prints it."""
    if fix != "retry-or-conflict":
        await session.commit()
        return
    from fastapi import HTTPException
    from sqlalchemy.orm.exc import StaleDataError
    try:
        try:
            await session.commit()
        except StaleDataError:
            await session.rollback()
            raise HTTPException(status_code=409, detail=f"{model} was changed by someone else, reload and retry")
    except HTTPException as exc:
        assert exc.status_code == 409
        print("409", exc.detail)


async def row_changed_or_deleted(fix):
    m = kit.define()
    User = m.User
    engine = await kit.async_engine(m)
    async with AsyncSession(engine) as session:
        user = await session.get(User, 1)
        if fix in (None, "retry-or-conflict"):
            await session.execute(delete(User).where(User.id == 1), execution_options={"synchronize_session": False})
        elif fix == "synchronize-bulk-statements":
            await session.execute(
                delete(User).where(User.id == 1),
                execution_options={"synchronize_session": "fetch"},
            )
        else:
            raise labkit.UnknownFix(fix)
        if user in session:
            user.name = "renamed"
        await _commit(session, fix, "User")  # the fault: the UPDATE finds no row
    await engine.dispose()


async def version_conflict(fix):
    version = Column(Integer, nullable=False, default=1)
    m = kit.define(User={"version": version, "__mapper_args__": {"version_id_col": version}})
    User = m.User
    engine = await kit.async_engine(m)
    item_id = 1
    async with AsyncSession(engine) as session:
        if fix == "lock-row-for-update":
            stmt = select(User).where(User.id == item_id).with_for_update()
            user = (await session.execute(stmt)).scalar_one()
        elif fix in (None, "retry-or-conflict"):
            user = await session.get(User, item_id)
        else:
            raise labkit.UnknownFix(fix)
        async with engine.connect() as other:  # another request saves the same row meanwhile
            try:
                await other.execute(text("SET LOCAL lock_timeout = '500ms'"))
                await other.execute(text("UPDATE users SET name = 'other', version = version + 1 WHERE id = 1"))
                await other.commit()
            except Exception as exc:
                assert fix == "lock-row-for-update" and "lock timeout" in str(exc), exc
        user.name = "paid"
        await _commit(session, fix, "User")  # the fault: version 1 is gone
    await engine.dispose()


labkit.run({
    "row-changed-or-deleted": row_changed_or_deleted,
    "version-conflict": version_conflict,
})
