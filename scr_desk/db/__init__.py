"""Storage: SQLAlchemy models, the engine and its pragmas, migrations and backups. No Qt."""
