"""Operational store: SQLAlchemy 2 tables, repositories and the unit of work."""
