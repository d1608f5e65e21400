"""Pure-Python domain: enums, rules and value types. No Qt, no SQLAlchemy."""
