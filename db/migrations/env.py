"""Alembic environment: the engine comes from db.migrate, never from an ini file."""

from __future__ import annotations

from alembic import context

from db.models import Base

config = context.config
engine = config.attributes["engine"]

# APScheduler creates and owns its job table; Alembic must neither create nor drop it
SCHEDULER_TABLES = {"apscheduler_jobs"}


def include_object(obj: object, name: str | None, type_: str, reflected: bool, _to: object) -> bool:
    return not (type_ == "table" and name in SCHEDULER_TABLES)


with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
