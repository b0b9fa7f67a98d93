"""Pydantic 1 config (orm_mode, class Config) and from_orm() used under pydantic 2.

Pydantic 2 reports most of these as warnings at class creation; the scenarios run them the way a
test suite with `-W error` (or `filterwarnings = error`) does, so the warning is the failure.
"""
import warnings

from pydantic import BaseModel

import labkit
from kits import app_stack as kit

V2_ONLY = "these keys and from_orm() are the pydantic 1 API itself; the rename exists on pydantic 2 only"


def warnings_as_errors(*categories):
    for category in categories or (UserWarning, DeprecationWarning):
        warnings.filterwarnings("error", category=category)


def user():
    m = kit.orm()
    session = kit.sqlite_session(m)
    return session, session.get(m.User, 1)


def orm_mode_key(fix):
    """class Config: orm_mode = True on pydantic 2."""
    kit.expect_fix(fix, "configdict-from-attributes", "rename-v1-keys")
    kit.only_on_pydantic(2, V2_ONLY)
    from pydantic import ConfigDict

    warnings_as_errors(UserWarning)   # the rename; the class-Config deprecation is scenario class-config
    session, obj = user()
    if fix in ("configdict-from-attributes", "rename-v1-keys"):
        class UserRead(BaseModel):
            model_config = ConfigDict(from_attributes=True)   # was: class Config: orm_mode = True

            id: int
            email: str
    else:
        class UserRead(BaseModel):
            id: int
            email: str

            class Config:
                orm_mode = True
    assert UserRead.model_validate(obj).email == "ana@example.com"


def from_orm_without_config(fix):
    """UserRead.from_orm(user) on a pydantic 2 model that has no from_attributes."""
    kit.expect_fix(fix, "configdict-from-attributes", "model-validate")
    kit.only_on_pydantic(2, V2_ONLY)
    from pydantic import ConfigDict

    session, obj = user()
    if fix == "configdict-from-attributes":
        class UserRead(BaseModel):
            model_config = ConfigDict(from_attributes=True)

            id: int
            email: str
        read = UserRead.model_validate(obj)
    else:
        class UserRead(BaseModel):
            id: int
            email: str
        if fix == "model-validate":
            read = UserRead.model_validate(obj, from_attributes=True)
        else:
            read = UserRead.from_orm(obj)
    assert read.email == "ana@example.com"


def from_orm_deprecated(fix):
    """from_orm() on a model with from_attributes: works, with PydanticDeprecatedSince20."""
    kit.expect_fix(fix, "model-validate")
    kit.only_on_pydantic(2, V2_ONLY)
    from pydantic import ConfigDict

    warnings_as_errors()
    session, obj = user()

    class UserRead(BaseModel):
        model_config = ConfigDict(from_attributes=True)

        id: int
        email: str

    read = UserRead.model_validate(obj) if fix == "model-validate" else UserRead.from_orm(obj)
    assert read.email == "ana@example.com"


def class_config(fix):
    """A class-based Config with keys that still exist in v2 (str_strip_whitespace)."""
    kit.expect_fix(fix, "configdict-from-attributes", "rename-v1-keys")
    kit.only_on_pydantic(2, V2_ONLY)
    from pydantic import ConfigDict

    warnings_as_errors()
    if fix in ("configdict-from-attributes", "rename-v1-keys"):
        class UserCreate(BaseModel):
            model_config = ConfigDict(from_attributes=True, str_strip_whitespace=True)

            email: str
    else:
        class UserCreate(BaseModel):
            email: str

            class Config:
                str_strip_whitespace = True
    assert UserCreate(email=" ana@example.com ").email == "ana@example.com"


def other_v1_keys(fix):
    """allow_population_by_field_name, schema_extra, anystr_strip_whitespace, validate_all under v2."""
    kit.expect_fix(fix, "rename-v1-keys")
    kit.only_on_pydantic(2, V2_ONLY)
    from pydantic import ConfigDict, Field

    warnings_as_errors(UserWarning)
    if fix == "rename-v1-keys":
        class UserCreate(BaseModel):
            model_config = ConfigDict(
                from_attributes=True,
                populate_by_name=True,
                json_schema_extra={"examples": [{"emailAddress": "ana@example.com"}]},
                str_strip_whitespace=True,
                validate_default=True,
            )
            email: str = Field(alias="emailAddress")
    else:
        class UserCreate(BaseModel):
            model_config = ConfigDict(
                allow_population_by_field_name=True,
                schema_extra={"examples": [{"emailAddress": "ana@example.com"}]},
                anystr_strip_whitespace=True,
                validate_all=True,
            )
            email: str = Field(alias="emailAddress")
    assert UserCreate(email=" ana@example.com ").email == "ana@example.com"


def v1_from_orm_without_orm_mode(fix):
    """Pydantic 1: UserRead.from_orm(user) without orm_mode."""
    kit.expect_fix(fix, "orm-mode-v1")
    kit.only_on_pydantic(1, "from_orm() without orm_mode raises ConfigError on pydantic 1 only; on 2 it is scenario from-orm-without-config")
    session, obj = user()
    if fix == "orm-mode-v1":
        class UserRead(BaseModel):
            id: int
            email: str

            class Config:
                orm_mode = True
    else:
        class UserRead(BaseModel):
            id: int
            email: str
    assert UserRead.from_orm(obj).email == "ana@example.com"


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "orm-mode-key": orm_mode_key,
    "from-orm-without-config": from_orm_without_config,
    "from-orm-deprecated": from_orm_deprecated,
    "class-config": class_config,
    "other-v1-config-keys": other_v1_keys,
    "v1-from-orm-without-orm-mode": v1_from_orm_without_orm_mode,
}

labkit.run(SCENARIOS)
