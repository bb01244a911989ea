"""Alembic environment: the engine comes from the program (config.attributes['engine'])."""

from alembic import context

from app.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            from app.models.base import with_postgresql_where

            with_postgresql_where()  # the partial indexes as autogenerate should compare them
            # Two workstations starting at once on an empty server would both create the
            # tables ("duplicate key ... pg_type_typname_nsp_index"): one waits here until the
            # other has committed, then finds the schema up to date. Released at the commit.
            from sqlalchemy import text

            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('counter:migrate'))"))
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
