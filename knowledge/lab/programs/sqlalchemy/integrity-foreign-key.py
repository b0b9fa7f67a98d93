"""IntegrityError: insert/update/delete violates foreign key constraint (asyncpg, psycopg2, psycopg 3)."""
import asyncio

from sqlalchemy import Column, ForeignKey, Integer, String, delete, insert, select

import labkit
from kits import orm_mapping as kit


def models(fix=None):
    """Organization 1 -> n Project; the fix changes the FK or the relationship as its snippet prints."""
    Base = kit.base()
    ondelete = {"on-delete-cascade": "CASCADE", "on-delete-cascade/column": "CASCADE",
                "set-null-or-refuse": "SET NULL", "set-null-or-refuse/column": "SET NULL"}.get(fix)

    class Project(Base):
        __tablename__ = "projects"
        id = Column(Integer, primary_key=True)
        name = Column(String(100))
        if fix == "set-null-or-refuse":
            from sqlalchemy.orm import Mapped, mapped_column

            organization_id: Mapped[int | None] = mapped_column(
                ForeignKey("organizations.id", ondelete="SET NULL"), nullable=True
            )
        elif fix == "on-delete-cascade":
            from sqlalchemy.orm import Mapped, mapped_column

            organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
        else:
            organization_id = Column(ForeignKey("organizations.id", ondelete=ondelete),
                                     nullable=(ondelete == "SET NULL"))

    from sqlalchemy.orm import relationship

    class Organization(Base):
        __tablename__ = "organizations"
        id = Column(Integer, primary_key=True)
        name = Column(String(100))
        if fix == "on-delete-cascade":
            from sqlalchemy.orm import Mapped

            children: Mapped[list["Project"]] = relationship(
                cascade="all, delete-orphan", passive_deletes=True
            )
        elif fix == "orm-delete-cascade":
            from sqlalchemy.orm import Mapped

            children: Mapped[list["Project"]] = relationship(cascade="all, delete-orphan")
        elif fix == "on-delete-cascade/column":
            children = relationship("Project", cascade="all, delete-orphan", passive_deletes=True)
        elif fix == "orm-delete-cascade/column":
            children = relationship("Project", cascade="all, delete-orphan")

    Project.organization = relationship(Organization)
    return Base, Organization, Project


def missing_parent(driver):
    """POST /projects with organization_id=999: no such organization."""

    def scenario(fix):
        kit.expect_fix(fix, "check-parent-exists", "check-parent-exists/pydantic-1", "catch-and-report")
        from pydantic import BaseModel

        class ProjectCreate(BaseModel):
            name: str
            organization_id: int

        payload = ProjectCreate(name="apollo", organization_id=999)
        Base, Organization, Project = models()
        if driver == "psycopg2":
            kit.expect_fix(fix)
            session = kit.pg_session(Base, "psycopg2")
            session.add(Project(**payload.dict()))
            session.commit()
            return

        async def create_project(session):
            from fastapi import HTTPException

            if fix and fix.startswith("check-parent-exists"):
                # The snippet's own calls run before the lookup, so a spelling the installed
                # pydantic lacks (model_dump on 1.x) fails here even though the parent is missing.
                data = payload.model_dump() if fix == "check-parent-exists" else payload.dict()
                parent = await session.get(Organization, payload.organization_id)
                if parent is None:
                    raise HTTPException(status_code=404, detail="organizations not found")
                session.add(Project(**data))
                await session.commit()
            elif fix == "catch-and-report":
                from sqlalchemy.exc import IntegrityError

                try:
                    session.add(Project(**payload.dict()))   # the write: an ORM add fails at commit
                    await session.commit()
                except IntegrityError as exc:
                    await session.rollback()
                    raise HTTPException(status_code=409, detail="violates projects_organization_id_fkey") from exc
            else:
                session.add(Project(**payload.dict()))
                await session.commit()

        async def main():
            session = await kit.async_pg_session(Base, driver)
            async with session:
                try:
                    await create_project(session)
                except Exception as exc:
                    if fix is None or type(exc).__name__ != "HTTPException":
                        raise

        asyncio.run(main())

    return scenario


def parent_still_referenced(fix):
    """DELETE an organization that still has projects."""
    fixes = ["on-delete-cascade", "orm-delete-cascade", "set-null-or-refuse", "catch-and-report"]
    kit.expect_fix(fix, *fixes, *(f + "/column" for f in fixes[:3]))
    Base, Organization, Project = models(fix)

    async def main():
        session = await kit.async_pg_session(Base)
        async with session:
            session.add(Project(name="apollo", organization=Organization(id=1, name="acme")))
            await session.commit()
            if fix and fix.startswith("orm-delete-cascade"):
                parent = await session.get(Organization, 1)
                # delete through the session, not with a Core delete() statement:
                await session.delete(parent)
                await session.commit()
            elif fix == "catch-and-report":
                from fastapi import HTTPException
                from sqlalchemy.exc import IntegrityError

                try:
                    await session.execute(delete(Organization).where(Organization.id == 1))   # a Core statement fails here
                    await session.commit()
                except IntegrityError as exc:
                    await session.rollback()
                    try:
                        raise HTTPException(status_code=409, detail="violates projects_organization_id_fkey") from exc
                    except HTTPException:
                        return
            else:
                await session.execute(delete(Organization).where(Organization.id == 1))
                await session.commit()
            left = (await session.execute(select(Project))).scalars().all()
            expected = 1 if fix and fix.startswith("set-null") else 0
            assert len(left) == expected

    asyncio.run(main())


def insert_order(fix):
    """A seed script bulk-inserts projects before the organizations they point at."""
    kit.expect_fix(fix, "insert-in-dependency-order", "link-through-relationship")
    Base, Organization, Project = models()
    rows_by_table = {
        "projects": [{"id": 1, "name": "apollo", "organization_id": 1}],
        "organizations": [{"id": 1, "name": "acme"}],
    }

    async def seed():
        session = await kit.async_pg_session(Base)
        async with session:
            if fix == "insert-in-dependency-order":
                # parents first: sorted_tables is ordered by foreign-key dependency
                for table in Base.metadata.sorted_tables:
                    rows = rows_by_table.get(table.name)
                    if rows:
                        await session.execute(insert(table), rows)
                await session.commit()
            elif fix == "link-through-relationship":
                parent = Organization(name="Acme")
                child = Project(name="apollo")
                child.organization = parent        # not child.organization_id = parent.id (None before flush)
                session.add(child)                 # the parent is cascaded in and inserted first
                await session.commit()
            else:
                await session.execute(insert(Project), rows_by_table["projects"])
                await session.execute(insert(Organization), rows_by_table["organizations"])
                await session.commit()
            assert len((await session.execute(select(Project))).scalars().all()) == 1

    asyncio.run(seed())


labkit.run({
    "missing-parent": missing_parent("asyncpg"),
    "missing-parent-psycopg": missing_parent("psycopg"),
    "missing-parent-psycopg2": missing_parent("psycopg2"),
    "parent-still-referenced": parent_still_referenced,
    "insert-order": insert_order,
})
