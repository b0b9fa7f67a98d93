"""UnmappedInstanceError: session.add()/delete() got something that is not a mapped object
(knowledge/faults/sqlalchemy/unmapped-instance.yaml).
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


def scenario(body):
    async def run(fix):
        m = kit.define()
        engine = await kit.async_engine(m)
        async with AsyncSession(engine) as session:
            await body(fix, session, m.User)
        await engine.dispose()
    return run


async def pydantic_schema(fix, session, User):
    import pydantic

    class UserCreate(pydantic.BaseModel):
        name: str
        organization_id: int

    payload = UserCreate(name="new-user", organization_id=1)
    if fix is None:
        session.add(payload)  # the fault: the request schema, not the model
    elif fix == "build-model-from-schema":
        user = User(**payload.model_dump())
        session.add(user)
        await session.commit()
        await session.refresh(user)
        return
    elif fix == "build-model-from-schema-v1":
        user = User(**payload.dict())
        session.add(user)
        await session.run_sync(lambda s: s.commit())  # the snippet's sync session.commit()
        return
    raise labkit.UnknownFix(fix)


async def plain_dict(fix, session, User):
    data = {"name": "new-user", "organization_id": 1}
    if fix is None:
        session.add(data)  # the fault
    elif fix == "build-model-from-dict":
        user = User(**data)
        session.add(user)
        await session.commit()
        return
    raise labkit.UnknownFix(fix)


async def none_result(fix, session, User):
    item_id = 999
    if fix is None:
        user = await session.get(User, item_id)
        await session.delete(user)  # the fault: no such row
    elif fix == "check-for-none":
        from fastapi import HTTPException
        try:
            user = await session.get(User, item_id)
            if user is None:
                raise HTTPException(status_code=404, detail="User not found")
            await session.delete(user)
            await session.commit()
        except HTTPException as exc:
            assert exc.status_code == 404
        return
    raise labkit.UnknownFix(fix)


async def missing_await(fix, session, User):
    item_id = 1
    if fix is None:
        user = session.get(User, item_id)
        await session.delete(user)  # the fault: a coroutine
    elif fix == "await-the-call":
        user = await session.get(User, item_id)   # not: session.get(...)
        await session.delete(user)                     # AsyncSession.delete is async too
        await session.commit()
        return
    raise labkit.UnknownFix(fix)


async def collection_passed(fix, session, User):
    items = [{"name": "a", "organization_id": 1}, {"name": "b", "organization_id": 2}]
    if fix is None:
        session.add([User(**item) for item in items])  # the fault: a list
    elif fix == "add-all":
        session.add_all([User(**item) for item in items])
        await session.commit()
        return
    raise labkit.UnknownFix(fix)


async def result_row(fix, session, User):
    item_id = 1
    if fix is None:
        row = (await session.execute(select(User).where(User.id == item_id))).first()
        await session.delete(row)  # the fault: a Row, not a User
    elif fix == "scalars-not-rows":
        user = (await session.execute(select(User).where(User.id == item_id))).scalar_one_or_none()
        if user is not None:
            await session.delete(user)
        await session.commit()
        return
    raise labkit.UnknownFix(fix)


async def class_not_instance(fix, session, User):
    if fix is None:
        session.add(User)  # the fault: the class itself
    elif fix == "instantiate-model":
        user = User(name="new-user", organization_id=1)
        session.add(user)
        await session.commit()
        return
    raise labkit.UnknownFix(fix)


labkit.run({
    "pydantic-schema": scenario(pydantic_schema),
    "plain-dict": scenario(plain_dict),
    "none-result": scenario(none_result),
    "missing-await": scenario(missing_await),
    "collection-passed": scenario(collection_passed),
    "result-row": scenario(result_row),
    "class-not-instance": scenario(class_not_instance),
})
