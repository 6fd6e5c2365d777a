"""Connecting, and applying the versioned migrations (Alembic) in migrations/."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from bot.db.deadline import NO_DEADLINE, watch
from bot.settings import ConfigError

DEFAULT_URL = "sqlite:///bot.sqlite3"
# Seconds the server waits on the database for one thing (a connection, a lock, a statement):
# short, because a Slack request has 3 s in all. Command-line tools pass None and wait as long as it takes.
SERVING_TIMEOUT = 2.0
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_UPGRADE_LOCK = 727274  # any fixed number: PostgreSQL advisory lock for migrations
CONNECT_TIMEOUT = 10  # seconds: an unreachable PostgreSQL server fails start-up instead of hanging
EXAMPLE_URL = "postgresql+psycopg://user:pass@host/db"


def normalize_url(url: str | None) -> str:
    """The SQLAlchemy URL to use: SQLite by default; PostgreSQL always through psycopg 3."""
    url = (url or DEFAULT_URL).strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None, timeout: float | None = SERVING_TIMEOUT) -> Engine:
    """An engine for `url`; ConfigError naming DATABASE_URL if it is not a database URL we can use.

    With `timeout`, every wait on the database (connecting, a free pooled connection, a lock, a
    statement, a server that stopped answering) ends in an error after about that long.
    """
    url = normalize_url(url)
    try:
        make_url(url).get_dialect().import_dbapi()
    except ImportError as err:
        raise ConfigError(
            f"DATABASE_URL needs a database driver that is not installed ({err.name}): "
            f"use PostgreSQL ({EXAMPLE_URL}) or SQLite (leave it empty)"
        ) from None
    except (
        ArgumentError
    ) as err:  # NoSuchModuleError too; the URL itself is never shown: it may hold a password
        kind = url.split(":", 1)[0] if ":" in url else ""
        what = (
            f"names an unknown kind of database {kind!r}"
            if kind and "://" in url
            else "is not a database URL"
        )
        raise ConfigError(
            f"DATABASE_URL {what} ({type(err).__name__}): set it like {EXAMPLE_URL}, "
            "or leave it empty for a SQLite file bot.sqlite3 where it runs"
        ) from None
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise ConfigError(
                    f"DATABASE_URL: cannot make the folder for the SQLite file {path} ({err.strerror}): "
                    "set DATABASE_URL to a file in a folder the bot can write"
                ) from None
        busy = timeout if timeout is not None else 30.0
        engine = create_engine(url, connect_args={"timeout": busy, "check_same_thread": False})
        engine.busy_timeout = busy  # type: ignore[attr-defined]  # Store waits as long for its own writers

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:
            cursor = connection.cursor()
            # WAL: readers never block the writer; NORMAL sync survives a killed process.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy * 1000)}")  # a held write lock: give up after this
            cursor.close()

        return engine
    if timeout is None:
        connect_args = {"connect_timeout": CONNECT_TIMEOUT} if url.startswith("postgresql") else {}
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args=connect_args)
    ms = int(timeout * 1000)
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        pool_timeout=timeout,  # all connections busy: fail rather than queue
        connect_args={
            "connect_timeout": max(2, round(timeout)),  # libpq's smallest
            "options": f"-c statement_timeout={ms} -c lock_timeout={ms}",
            # A peer gone silent on an idle pooled connection is noticed by the kernel.
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 2,
            "tcp_user_timeout": ms * 2,
        },
    )
    watch(engine, timeout + 0.5)  # just after the server's own statement_timeout would have answered
    return engine


def open_existing(url: str | None) -> Engine | None:
    """The database at `url` as it is: not created, not migrated (None when its SQLite file is missing)."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if not path or path == ":memory:" or not Path(path).is_file():
            return None
    return make_engine(url)


def alembic_config(engine: Engine, migrations: Path = MIGRATIONS) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def upgrade(engine: Engine) -> str:
    """Bring the schema to the newest migration; safe when several processes start at once."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        connection.info[NO_DEADLINE] = True  # waiting for another process's migration is fine
        try:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET LOCAL statement_timeout = 0"))
                connection.execute(text("SET LOCAL lock_timeout = 0"))
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        finally:
            connection.info.pop(NO_DEADLINE, None)
    return current_revision(engine)


def open_database(url: str | None, timeout: float | None = SERVING_TIMEOUT) -> Engine:
    """The database at `url` (SQLite by default), its schema brought up to date.

    ConfigError naming DATABASE_URL when it cannot be reached or opened (the password is never shown).
    """
    engine = make_engine(url, timeout)
    try:
        upgrade(engine)
    except CommandError as err:  # e.g. a newer version of the bot migrated this database
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise ConfigError(
            f"DATABASE_URL: the database at {where} cannot be brought to this version's schema ({err}): "
            "run the version that migrated it, or set DATABASE_URL to another database"
        ) from None
    except DBAPIError as err:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        reason = (str(err.orig).strip().splitlines() or [type(err.orig).__name__])[0]
        raise ConfigError(
            f"DATABASE_URL: cannot open the database at {where} ({reason}): "
            "start it, or set DATABASE_URL to one that is running"
        ) from None
    return engine


def new_revision(engine: Engine, message: str, migrations: Path = MIGRATIONS) -> str:
    """Write the next migration script (autogenerated from bot/db/schema.py); its path."""
    config = alembic_config(engine, migrations)
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    head = head_revision(migrations)
    next_id = f"{int(head) + 1:04d}" if head and head.isdigit() else None
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        script = command.revision(config, message=message, autogenerate=True, rev_id=next_id)
    return script.path


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(migrations: Path = MIGRATIONS) -> str | None:
    return ScriptDirectory(str(migrations)).get_current_head()
