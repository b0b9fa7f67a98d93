"""ObjectDeletedError (knowledge/faults/sqlalchemy/object-deleted.yaml).

A loaded user is expired by commit() while its row is deleted by another connection, or by a
bulk DELETE run with synchronize_session=False; the next attribute read finds no row.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session


def _delete_elsewhere(engine, user_id):
    """Another transaction deletes the row; returns False when our row lock made it wait out."""
    from sqlalchemy.exc import OperationalError
    try:
        with engine.begin() as other:
            other.execute(text("SET LOCAL lock_timeout = '500ms'"))
            other.execute(delete(kit_models.User).where(kit_models.User.id == user_id))
        return True
    except OperationalError as exc:  # LockNotAvailable: the row is locked by the fixed program
        assert "lock timeout" in str(exc), exc
        return False


kit_models = None


def deleted_elsewhere(fix):
    global kit_models
    m = kit_models = kit.define()
    User = m.User
    engine = kit.sync_engine(m)
    item_id = 1
    with Session(engine) as session:
        if fix == "lock-row":
            stmt = select(User).where(User.id == item_id).with_for_update()
            user = session.execute(stmt).scalar_one_or_none()
            assert not _delete_elsewhere(engine, item_id)
            print(user.name)
            return
        user = session.get(User, item_id)
        session.commit()  # expires user
        _delete_elsewhere(engine, item_id)
        if fix is None:
            print(user.name)  # the fault: the row is gone
        elif fix == "handle-gone":
            from fastapi import HTTPException
            from sqlalchemy.orm.exc import ObjectDeletedError
            try:
                try:
                    name = user.name
                except ObjectDeletedError:
                    session.expunge(user)
                    raise HTTPException(status_code=404, detail="User no longer exists")
            except HTTPException as exc:
                assert exc.status_code == 404
                return
            raise AssertionError(f"read {name!r} from a deleted row")
        elif fix == "requery-fresh":
            stmt = select(User).where(User.id == item_id)
            user = session.execute(stmt).scalar_one_or_none()
            assert user is None  # deleted meanwhile
        else:
            raise labkit.UnknownFix(fix)


def bulk_delete_unsynced(fix):
    m = kit.define()
    User = m.User
    engine = kit.sync_engine(m)
    with Session(engine) as session:
        users = session.scalars(select(User)).all()
        if fix is None:
            session.execute(delete(User).where(User.id == 1), execution_options={"synchronize_session": False})
        elif fix == "synchronize-bulk-delete":
            session.execute(
                delete(User).where(User.id == 1),
                execution_options={"synchronize_session": "fetch"},
            )
            users = [u for u in users if u in session]  # the fetched row left the session
        else:
            raise labkit.UnknownFix(fix)
        session.commit()
        print([u.name for u in users])  # the fault: user 1 is still in the list, its row is gone


labkit.run({
    "deleted-elsewhere": deleted_elsewhere,
    "bulk-delete-unsynced": bulk_delete_unsynced,
})
