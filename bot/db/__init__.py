"""Shared state in a real database: SQLite by default, PostgreSQL when DATABASE_URL names one."""
