"""Everything SQLAlchemy: models, engine, migrations, the write side and the read side."""
