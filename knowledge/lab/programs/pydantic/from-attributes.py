"""Pydantic cannot read an ORM object: from_attributes (v2) / orm_mode (v1) is not set."""
from typing import Optional

from pydantic import BaseModel

import labkit
from kits import app_stack as kit

V2_ONLY = "model_validate and from_attributes are pydantic 2 APIs; on pydantic 1 this case is scenario pydantic-v1-orm-mode"


def org_read(from_attributes):
    if from_attributes:
        from pydantic import ConfigDict

        class OrganizationRead(BaseModel):
            model_config = ConfigDict(from_attributes=True)
            id: int
            name: str
    else:
        class OrganizationRead(BaseModel):
            id: int
            name: str
    return OrganizationRead


def missing_from_attributes(fix):
    """UserRead.model_validate(user) on a schema without from_attributes."""
    kit.expect_fix(fix, "config-from-attributes", "shared-orm-base", "validate-with-flag")
    kit.only_on_pydantic(2, V2_ONLY)
    from pydantic import ConfigDict

    m = kit.orm()
    session = kit.sqlite_session(m)
    user = session.get(m.User, 1)
    if fix == "config-from-attributes":
        class UserRead(BaseModel):
            model_config = ConfigDict(from_attributes=True)

            id: int
            email: str
    elif fix == "shared-orm-base":
        class ORMSchema(BaseModel):
            model_config = ConfigDict(from_attributes=True)

        class UserRead(ORMSchema):
            id: int
            email: str
    else:
        class UserRead(BaseModel):
            id: int
            email: str
    if fix == "validate-with-flag":
        read = UserRead.model_validate(user, from_attributes=True)
    else:
        read = UserRead.model_validate(user)
    assert read.email == "ana@example.com"


def nested_schema(fix):
    """UserRead has from_attributes; its nested OrganizationRead does not."""
    kit.expect_fix(fix, "config-from-attributes", "shared-orm-base", "validate-with-flag")
    kit.only_on_pydantic(2, V2_ONLY)
    from pydantic import ConfigDict

    m = kit.orm()
    session = kit.sqlite_session(m)
    user = session.get(m.User, 1)
    if fix == "shared-orm-base":
        class ORMSchema(BaseModel):
            model_config = ConfigDict(from_attributes=True)

        class OrganizationRead(ORMSchema):
            id: int
            name: str

        class UserRead(ORMSchema):
            id: int
            organization: OrganizationRead
    else:
        OrganizationRead = org_read(fix == "config-from-attributes")

        class UserRead(BaseModel):
            model_config = ConfigDict(from_attributes=fix != "validate-with-flag")
            id: int
            organization: OrganizationRead
    if fix == "validate-with-flag":
        read = UserRead.model_validate(user, from_attributes=True)
    else:
        read = UserRead.model_validate(user)
    assert read.organization.name == "Acme"


async def none_input(fix):
    """GET /users/{id} for a missing row: session.get() returns None, then model_validate(None)."""
    kit.expect_fix(fix, "handle-none")
    kit.only_on_pydantic(2, V2_ONLY)
    from fastapi import HTTPException
    from pydantic import ConfigDict

    class UserRead(BaseModel):
        model_config = ConfigDict(from_attributes=True)
        id: int
        email: str

    m = kit.orm()
    async with kit.pg_async_session(m) as (engine, session):
        async def read_user(item_id):
            user = await session.get(m.User, item_id)
            if fix == "handle-none" and user is None:
                raise HTTPException(status_code=404, detail="User not found")
            return UserRead.model_validate(user)

        assert (await read_user(1)).email == "ana@example.com"
        try:
            await read_user(42)
        except HTTPException as exc:
            assert exc.status_code == 404


async def list_input(fix):
    """All users (a list) validated as one UserRead."""
    kit.expect_fix(fix, "validate-list", "fetch-one")
    kit.only_on_pydantic(2, V2_ONLY)
    from pydantic import ConfigDict, TypeAdapter
    from sqlalchemy import select

    class UserRead(BaseModel):
        model_config = ConfigDict(from_attributes=True)
        id: int
        email: str

    m = kit.orm()
    async with kit.pg_async_session(m) as (engine, session):
        if fix == "validate-list":
            rows = (await session.scalars(select(m.User))).all()
            items = TypeAdapter(list[UserRead]).validate_python(rows, from_attributes=True)
            assert [u.email for u in items] == ["ana@example.com"]
        elif fix == "fetch-one":
            user = (await session.execute(select(m.User).where(m.User.id == 1))).scalar_one_or_none()
            assert UserRead.model_validate(user).id == 1
        else:
            rows = (await session.scalars(select(m.User))).all()
            UserRead.model_validate(rows)


def string_input(fix):
    """A JSON string (json.dumps of a payload) validated as the model."""
    kit.expect_fix(fix, "validate-json")
    kit.only_on_pydantic(2, V2_ONLY)
    import json

    class UserCreate(BaseModel):
        email: str
        name: Optional[str] = None

    raw_json = json.dumps({"email": "ana@example.com", "name": "Ana"})
    if fix == "validate-json":
        user = UserCreate.model_validate_json(raw_json)
    else:
        user = UserCreate.model_validate(raw_json)
    assert user.email == "ana@example.com"


def v1_orm_mode(fix):
    """Pydantic 1: UserRead.parse_obj(orm_obj) / a response model without orm_mode."""
    kit.expect_fix(fix, "orm-mode-v1")
    kit.only_on_pydantic(1, "orm_mode is the pydantic 1 spelling; on pydantic 2 this case is scenario missing-from-attributes")
    m = kit.orm()
    session = kit.sqlite_session(m)
    user = session.get(m.User, 1)
    if fix == "orm-mode-v1":
        class UserRead(BaseModel):
            id: int
            email: str

            class Config:
                orm_mode = True

        read = UserRead.from_orm(user)
    else:
        class UserRead(BaseModel):
            id: int
            email: str

        read = UserRead.parse_obj(user)
    assert read.email == "ana@example.com"


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "missing-from-attributes": missing_from_attributes,
    "nested-schema": nested_schema,
    "none-input": none_input,
    "list-input": list_input,
    "string-input": string_input,
    "pydantic-v1-orm-mode": v1_orm_mode,
}

labkit.run(SCENARIOS)
