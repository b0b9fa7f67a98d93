"""NoSuchColumnError: Could not locate column in row for column '...'
(knowledge/faults/sqlalchemy/no-such-column.yaml).

A row is asked for a column its SELECT did not return: a key that was labelled otherwise or never
selected, or an ORM attribute whose column the statement left out.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import select, text
from sqlalchemy.orm import Session


def mapping_key(fix):
    m = kit.define()
    engine = kit.sync_engine(m)
    with engine.connect() as conn:
        if fix is None:
            row = conn.execute(text("SELECT id, name AS user_name FROM users WHERE id = 1")).one()
            name = row._mapping["name"]
        elif fix == "use-selected-label":
            row = conn.execute(text("SELECT id, name AS user_name FROM users WHERE id = 1")).one()
            name = row._mapping["user_name"]
        elif fix == "label-in-select":
            row = conn.execute(select(m.User.id, m.User.name.label("name")).where(m.User.id == 1)).one()
            name = row._mapping["name"]
        else:
            raise labkit.UnknownFix(fix)
    assert name


def attribute_not_selected(fix):
    m = kit.define()
    engine = kit.sync_engine(m)
    with Session(engine) as session:
        if fix is None:
            row = session.execute(text("SELECT users.id, users.name FROM users")).first()
            org = row._mapping[m.User.organization_id]
        elif fix == "use-selected-label":
            row = session.execute(select(m.User.id, m.User.name, m.User.organization_id)).first()
            org = row._mapping[m.User.organization_id]
        else:
            raise labkit.UnknownFix(fix)
    assert org


labkit.run({"mapping-key": mapping_key, "attribute-not-selected": attribute_not_selected})
