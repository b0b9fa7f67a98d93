"""FastAPI endpoints whose return value does not fit their response_model (run in-process with TestClient)."""
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select

import labkit
from kits import app_stack as kit


def app_with_db(users=1):
    m = kit.orm()
    async_session = kit.async_db(m, users=users)

    async def get_session():
        async with async_session() as session:
            yield session

    return m, FastAPI(), get_session


def org_read():
    class OrganizationRead(kit.orm_schema()):
        id: int
        name: str
    return OrganizationRead


def shape_mismatch(fix):
    """UserRead.public_id is int; the endpoint builds "usr_1"."""
    kit.expect_fix(fix, "fix-schema-or-data")
    m, app, get_session = app_with_db()
    if fix == "fix-schema-or-data":
        class UserRead(BaseModel):
            email: str
            public_id: str | None = None
    else:
        class UserRead(BaseModel):
            email: str
            public_id: int

    @app.get("/users/{user_id}", response_model=UserRead)
    async def read_user(user_id: int, session=Depends(get_session)):
        user = await session.get(m.User, user_id)
        return {"email": user.email, "public_id": f"usr_{user.id}"}

    assert kit.test_client(app).get("/users/1").json()["public_id"] == "usr_1"


def none_returned(fix):
    """GET /users/42: session.get() returns None, and the endpoint returns it."""
    kit.expect_fix(fix, "raise-404", "optional-response")
    m, app, get_session = app_with_db()

    class UserRead(kit.orm_schema()):
        id: int
        email: str

    model = UserRead | None if fix == "optional-response" else UserRead

    @app.get("/users/{item_id}", response_model=model)
    async def read_item(item_id: int, session=Depends(get_session)):
        obj = await session.get(m.User, item_id)
        if fix == "raise-404" and obj is None:
            raise HTTPException(status_code=404, detail="User not found")
        return obj

    client = kit.test_client(app)
    assert client.get("/users/1").json()["email"] == "ana@example.com"
    assert client.get("/users/42").status_code == (404 if fix == "raise-404" else 200)


def nested_none(fix):
    """User 2 has no organization (NULL organization_id); UserRead.organization is required."""
    kit.expect_fix(fix, "optional-nested-field")
    m, app, get_session = app_with_db(users=2)
    OrganizationRead = org_read()
    if fix == "optional-nested-field":
        class UserRead(kit.orm_schema()):
            id: int
            organization: OrganizationRead | None = None
    else:
        class UserRead(kit.orm_schema()):
            id: int
            organization: OrganizationRead

    @app.get("/users/{user_id}", response_model=UserRead)
    async def read_user(user_id: int, session=Depends(get_session)):
        from sqlalchemy.orm import selectinload

        stmt = select(m.User).where(m.User.id == user_id).options(selectinload(m.User.organization))
        return (await session.execute(stmt)).scalar_one()

    client = kit.test_client(app)
    assert client.get("/users/1").json()["organization"]["name"] == "Acme"
    assert client.get("/users/2").status_code == 200


def list_vs_object(fix):
    """GET /users declares one UserRead but returns every user."""
    kit.expect_fix(fix, "match-cardinality")

    m, app, get_session = app_with_db(users=3)

    class UserRead(kit.orm_schema()):
        id: int
        email: str

    model = list[UserRead] if fix == "match-cardinality" else UserRead

    @app.get("/users", response_model=model)
    async def list_items(session=Depends(get_session)):
        return (await session.scalars(select(m.User))).all()

    assert len(kit.test_client(app).get("/users").json()) == 3


def missing_attribute(fix):
    """UserRead.full_name: the ORM model has first_name and last_name only."""
    kit.expect_fix(fix, "alias-or-property", "alias-or-property/property")
    m, app, get_session = app_with_db()
    if fix == "alias-or-property":
        class UserRead(kit.orm_schema()):
            full_name: str = Field(validation_alias="first_name")
    else:
        class UserRead(kit.orm_schema()):
            full_name: str
    if fix == "alias-or-property/property":
        m.User.full_name = property(lambda self: f"{self.first_name} {self.last_name}")

    @app.get("/users/{user_id}", response_model=UserRead)
    async def read_user(user_id: int, session=Depends(get_session)):
        return await session.get(m.User, user_id)

    assert kit.test_client(app).get("/users/1").json()["full_name"].startswith("Ana")


def v1_orm_mode(fix):
    """FastAPI 0.92 with pydantic 1: the response model has no orm_mode."""
    kit.expect_fix(fix, "orm-mode-v1")
    kit.only_on_pydantic(1, "orm_mode is the pydantic 1 spelling; on pydantic 2 FastAPI reads attributes without it")
    m, app, get_session = app_with_db()
    if fix == "orm-mode-v1":
        class UserRead(BaseModel):
            id: int

            class Config:
                orm_mode = True
    else:
        class UserRead(BaseModel):
            id: int

    @app.get("/users/{user_id}", response_model=UserRead)
    async def read_user(user_id: int, session=Depends(get_session)):
        return await session.get(m.User, user_id)

    assert kit.test_client(app).get("/users/1").json() == {"id": 1}


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "shape-mismatch": shape_mismatch,
    "none-returned": none_returned,
    "nested-none": nested_none,
    "list-vs-object": list_vs_object,
    "missing-attribute": missing_attribute,
    "v1-orm-mode": v1_orm_mode,
}

labkit.run(SCENARIOS)
