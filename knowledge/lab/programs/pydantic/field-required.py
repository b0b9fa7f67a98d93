"""A required field is missing: in data given to a model, in a request, in an ORM object, in the environment."""
import asyncio
import os
from typing import Optional

from pydantic import BaseModel, Field

import labkit
from kits import app_stack as kit


def missing_in_payload(fix):
    """UserCreate(**data) where data comes without "email"."""
    kit.expect_fix(fix, "send-the-field", "optional-with-default")
    if fix == "optional-with-default":
        class UserCreate(BaseModel):
            email: str | None = None
            name: str
    else:
        class UserCreate(BaseModel):
            email: str
            name: str
    data = {"name": "Ana"}
    if fix == "send-the-field":
        user = UserCreate(email="ana@example.com", **data)
    else:
        user = UserCreate(**data)
    assert user.name == "Ana"


def alias_not_populated(fix):
    """The field has an alias; the caller passes it by the field's own name."""
    kit.expect_fix(fix, "populate-by-name", "populate-by-name/v1-config")
    if fix == "populate-by-name":
        from pydantic import ConfigDict

        class UserCreate(BaseModel):
            model_config = ConfigDict(populate_by_name=True)
            email: str = Field(alias="emailAddress")
    elif fix == "populate-by-name/v1-config":
        class UserCreate(BaseModel):
            email: str = Field(alias="emailAddress")

            class Config:
                allow_population_by_field_name = True
    else:
        class UserCreate(BaseModel):
            email: str = Field(alias="emailAddress")
    assert UserCreate(email="ana@example.com").email == "ana@example.com"
    assert UserCreate(emailAddress="ana@example.com").email == "ana@example.com"


def users_app(schema):
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/users", status_code=201)
    def create_user(user: schema):
        return {"email": user.email}

    return app


def request_body_field(fix):
    """POST /users with a JSON body that has "name" but no "email"."""
    kit.expect_fix(fix, "send-the-field", "optional-with-default")
    if fix == "optional-with-default":
        class UserCreate(BaseModel):
            email: str | None = None
            name: str
    else:
        class UserCreate(BaseModel):
            email: str
            name: str
    client = kit.test_client(users_app(UserCreate))
    body = {"email": "ana@example.com", "name": "Ana"} if fix == "send-the-field" else {"name": "Ana"}
    kit.fail_on_client_error(client.post("/users", json=body))


def body_not_sent(fix):
    """The client posts the payload as query parameters instead of a JSON body."""
    kit.expect_fix(fix, "send-json-body")

    class UserCreate(BaseModel):
        email: str

    client = kit.test_client(users_app(UserCreate))
    payload = {"email": "ana@example.com"}
    if fix == "send-json-body":
        response = client.post("/users", json=payload)
    else:
        response = client.post("/users", params=payload)
    kit.fail_on_client_error(response)


def query_param(fix):
    """GET /users/search declares `email: str` (a query parameter); the client sends it as JSON."""
    kit.expect_fix(fix, "query-vs-body", "query-vs-body/default-value", "optional-with-default")
    from typing import Annotated

    from fastapi import Body, FastAPI

    app = FastAPI()
    if fix == "query-vs-body":
        @app.post("/users/search")
        def search(email: Annotated[str, Body(embed=True)]):
            return {"email": email}
    elif fix == "query-vs-body/default-value":
        @app.post("/users/search")
        def search(email: str = Body(embed=True)):
            return {"email": email}
    elif fix == "optional-with-default":
        @app.post("/users/search")
        def search(email: str | None = None):
            return {"email": email}
    else:
        @app.post("/users/search")
        def search(email: str):
            return {"email": email}
    client = kit.test_client(app)
    kit.fail_on_client_error(client.post("/users/search", json={"email": "ana@example.com"}))


def orm_row_not_entity(fix):
    """Rows of session.execute(select(User)) are validated: a Row has no "email" attribute."""
    kit.expect_fix(fix, "scalars-entities", "scalars-entities/v1-from-orm")
    from sqlalchemy import select

    m = kit.orm()
    User, session = m.User, kit.sqlite_session(m)
    if kit.pydantic2():
        from pydantic import ConfigDict

        class UserRead(BaseModel):
            model_config = ConfigDict(from_attributes=True)
            id: int
            email: str
    else:
        class UserRead(BaseModel):
            id: int
            email: str

            class Config:
                orm_mode = True
    result = session.execute(select(User))
    if fix == "scalars-entities":
        items = [UserRead.model_validate(obj) for obj in result.scalars().all()]
    elif fix == "scalars-entities/v1-from-orm":
        items = [UserRead.from_orm(obj) for obj in result.scalars().all()]
    elif kit.pydantic2():
        items = [UserRead.model_validate(row) for row in result.all()]
    else:
        items = [UserRead.from_orm(row) for row in result.all()]
    assert items[0].email == "ana@example.com"


def orm_attribute_mismatch(fix):
    """UserRead.name, but the ORM model calls it first_name."""
    kit.expect_fix(fix, "validation-alias", "validation-alias/v1-alias")
    m = kit.orm()
    session = kit.sqlite_session(m)
    user = session.get(m.User, 1)
    if kit.pydantic2():
        from pydantic import ConfigDict

        if fix == "validation-alias":
            class UserRead(BaseModel):
                model_config = ConfigDict(from_attributes=True)
                name: str = Field(validation_alias="first_name")
        else:
            class UserRead(BaseModel):
                model_config = ConfigDict(from_attributes=True)
                name: str
        read = UserRead.model_validate(user)
    else:
        if fix == "validation-alias/v1-alias":
            class UserRead(BaseModel):
                name: str = Field(alias="first_name")

                class Config:
                    orm_mode = True
        else:
            class UserRead(BaseModel):
                name: str

                class Config:
                    orm_mode = True
        read = UserRead.from_orm(user)
    assert read.name == "Ana"


def settings_env_missing(fix):
    """Settings() at startup with DATABASE_URL not in the environment."""
    kit.expect_fix(fix, "settings-env", "settings-env/v1-config", "optional-with-default")
    os.environ.pop("DATABASE_URL", None)
    if kit.pydantic2():
        try:
            from pydantic_settings import BaseSettings, SettingsConfigDict
        except ImportError:
            raise labkit.NotApplicable("pydantic-settings is not installed in this world (Debian: python3-pydantic-settings)")
    else:
        from pydantic import BaseSettings
    if fix == "settings-env":
        with open(".env", "w") as fh:
            fh.write("DATABASE_URL=postgresql://app@db/app\n")
    if fix == "settings-env":
        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_file=".env")
            database_url: str
    elif fix == "settings-env/v1-config":
        os.environ["DATABASE_URL"] = "postgresql://app@db/app"   # export DATABASE_URL=...

        class Settings(BaseSettings):
            database_url: str

            class Config:
                env_file = ".env"
    elif fix == "optional-with-default":
        class Settings(BaseSettings):
            database_url: str | None = None
    else:
        class Settings(BaseSettings):
            database_url: str
    settings = Settings()
    assert fix == "optional-with-default" or settings.database_url.startswith("postgresql://")


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "missing-in-payload": missing_in_payload,
    "alias-not-populated": alias_not_populated,
    "request-body-field": request_body_field,
    "body-not-sent": body_not_sent,
    "query-or-header-param": query_param,
    "orm-row-not-entity": orm_row_not_entity,
    "orm-attribute-mismatch": orm_attribute_mismatch,
    "settings-env-missing": settings_env_missing,
}

labkit.run(SCENARIOS)
