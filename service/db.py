"""Engine, sessions and the transaction of each entry point.

Nothing connects at import time: a `Database` builds its engine on first use.
HTTP requests get one session each (`request_session`), committed by the app
after a successful response and rolled back otherwise; CLI commands use
`Database.session_scope()`. Services receive the session and never commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import flask
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from .config import Settings
from .embedded import embedded_url
from .jsonio import StrictJSONProvider, json_column_loads

log = logging.getLogger(__name__)
T = TypeVar("T")


def sqlalchemy_url(url: str) -> str:
    """Make a libpq-style postgresql:// URL name the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class Database:
    """The engine and session factory of one app or CLI run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None
        self._sessionmaker: sessionmaker[Session] | None = None
        self._read_sessionmaker: sessionmaker[Session] | None = None
        self._bound = False
        self.bound_connection: Connection | None = None

    @property
    def url(self) -> str:
        """The configured URL, or the embedded server's (started on first use)."""
        return self.settings.database_url or embedded_url(self.settings.pgdata)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            s = self.settings
            # Bounded waits (nested: lock < statement < gunicorn's worker timeout): a
            # table lock held elsewhere costs a 503 after 2 s, not a hung worker; a
            # transaction left idle (a crashed client) frees its locks after 30 s.
            # JIT off: its compile time (20-30 ms) is charged to queries whose row
            # estimates look large but which read little (full text, the stats
            # cache's changes); measured, it bought nothing for recounts at 1M rows.
            options = (
                "-c TimeZone=UTC -c lock_timeout=2000 -c idle_in_transaction_session_timeout=30000"
                " -c jit=off"
            )
            if s.db_statement_timeout_ms:
                options += f" -c statement_timeout={s.db_statement_timeout_ms}"
            self._engine = create_engine(
                sqlalchemy_url(self.url),
                pool_size=s.db_pool_size,
                max_overflow=s.db_pool_size,
                pool_timeout=s.db_pool_timeout,
                # No ping before each use (a round trip on every request): a connection
                # found dead invalidates the pool and the request runs again (see
                # TransactionalFlask), so a restarted database costs no failed request.
                json_deserializer=json_column_loads,
                connect_args={
                    "options": options,
                    "application_name": "procurement-tracker",
                    # Every wait on the database is bounded, so an outage is a quick
                    # 503, never a hang: connecting (libpq's minimum, 2 s), and a
                    # connection whose peer went silent (unacknowledged data, 3 s).
                    "connect_timeout": 2,
                    "tcp_user_timeout": 3000,
                    "keepalives_idle": 5,
                    "keepalives_interval": 2,
                    "keepalives_count": 2,
                },
            )
        return self._engine

    @property
    def read_sessionmaker(self) -> sessionmaker[Session]:
        """Sessions for reads (GET and HEAD requests): each statement runs on its own
        in autocommit mode. A lone SELECT is a transaction of its own in PostgreSQL,
        and under READ COMMITTED every statement takes a new snapshot anyway, so this
        changes nothing but the BEGIN and COMMIT round trips it saves. Reads whose
        statements must agree use snapshot_session. (Bound to a test connection: the
        ordinary sessions, inside the test's transaction.)"""
        if self._bound:
            return self.sessionmaker
        if self._read_sessionmaker is None:
            engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            self._read_sessionmaker = sessionmaker(engine, expire_on_commit=False)
        return self._read_sessionmaker

    @property
    def sessionmaker(self) -> sessionmaker[Session]:
        if self._sessionmaker is None:
            self._sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessionmaker

    def snapshot_session(self) -> Session:
        """A read-only session whose statements all see one snapshot (REPEATABLE READ):
        an export's announced row count and the rows it streams agree. (Bound to a
        test connection it is an ordinary session inside the test's transaction.)"""
        if self._bound:
            return self.sessionmaker()
        engine = self.engine.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        return Session(bind=engine, expire_on_commit=False)

    @property
    def bound_to_test(self) -> bool:
        """Whether every session runs inside a test's connection (see bind_to)."""
        return self._bound

    def bind_to(self, connection: Connection) -> None:
        """Run every session inside `connection`'s transaction (tests roll it back)."""
        self._bound = True
        self.bound_connection = connection
        self._sessionmaker = sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )

    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        """One transaction for a CLI command: commit on success, roll back on error."""
        with self.sessionmaker() as session, session.begin():
            yield session

    def connections_in_use(self) -> int:
        """Connections checked out of this process's pool (0 before the first use)."""
        if self._engine is None:
            return 0
        checked_out = getattr(self._engine.pool, "checkedout", None)
        return int(checked_out()) if checked_out is not None else 0

    def dispose(self) -> None:
        """Close pooled connections (before forking workers, at shutdown)."""
        if self._engine is not None:
            self._engine.dispose()


READ_METHODS = frozenset({"GET", "HEAD"})


def get_db(app: flask.Flask | None = None) -> Database:
    """The Database of `app` (default: the current app)."""
    app = app or flask.current_app
    db: Database = app.extensions["procurement_db"]
    return db


def request_session() -> Session:
    """The session of the current request, opened on first use."""
    session: Session | None = flask.g.get("db_session")
    if session is None:
        db = get_db()
        reads = flask.request.method in READ_METHODS
        session = db.read_sessionmaker() if reads else db.sessionmaker()
        flask.g.db_session = session
        # An autocommit session has nothing to commit: closing it is all it needs.
        flask.g.db_autocommit = reads and not db.bound_to_test
    return session


def read_with_retry(work: Callable[[Session], T]) -> T:
    """Run `work` in a read session of its own (outside the request's transaction),
    once more on a fresh connection if the pooled one was found dead."""
    for attempt in (1, 2):
        try:
            with get_db().read_sessionmaker() as session:
                return work(session)
        except DBAPIError as error:
            if attempt == 2 or not is_disconnect(error):
                raise
    raise AssertionError("unreachable")


def rollback_only() -> None:
    """Make the current request's transaction roll back even if it succeeds (dry runs)."""
    flask.g.db_rollback_only = True


def init_app(app: flask.Flask, db: Database) -> None:
    """Give `app` its Database and the per-request transaction."""
    app.extensions["procurement_db"] = db

    @app.after_request
    def _finish_transaction(response: flask.Response) -> flask.Response:
        # Views that return normally were committed in TransactionalFlask's retry
        # loop; this finishes the requests that ended in an error handler.
        _commit(response)
        return response

    @app.teardown_request
    def _close_session(_exc: BaseException | None) -> None:
        # Reached with a session still open only when the request failed before
        # after_request ran: closing rolls back whatever it held.
        session: Session | None = flask.g.pop("db_session", None)
        if session is not None:
            session.close()


RETRYABLE = {"40001", "40P01"}
"""serialization_failure and deadlock_detected: the transaction may simply be run again."""
MAX_ATTEMPTS = 4
NOT_REPLAYABLE = {"imports.Imports"}
"""Endpoints whose body is streamed and cannot be read twice."""


def is_retryable(error: BaseException) -> bool:
    """A database error whose transaction can be run again as it was."""
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) in RETRYABLE


def is_disconnect(error: BaseException) -> bool:
    """The connection was found dead (the database restarted, or an administrator
    ended the session). SQLAlchemy has then invalidated the pool: a new attempt gets
    a fresh connection."""
    return bool(getattr(error, "connection_invalidated", False))


class TransactionalFlask(flask.Flask):
    """Runs each request's view and commit as one transaction, and runs it again
    (bounded, with backoff: 50, 100, 200 ms) when PostgreSQL reports a serialization
    failure or a deadlock (SQLSTATE 40001, 40P01). PostgreSQL-wire engines that
    expect clients to retry (CockroachDB) are served the same way. A connection found
    dead before COMMIT (the database restarted since it was last used) is replaced and
    the request run again at once. After the last attempt the error reaches the
    handlers, which answer 503 with Retry-After."""

    json_provider_class = StrictJSONProvider

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._synchronous: dict[Any, bool] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's check, remembered per function: every hook and view wrapper of a
        request asks it (about twenty times a request), and the answer never changes.
        Keyed by the plain function (a bound method's __func__), so the cache holds
        one entry per function defined, however many objects are bound."""
        target = getattr(func, "__func__", func)
        try:
            synchronous = self._synchronous.get(target)
        except TypeError:  # an unhashable callable: ask Flask every time
            return super().ensure_sync(func)
        if synchronous is None:
            synchronous = super().ensure_sync(target) is target
            if len(self._synchronous) >= 4096:  # never a leak, whatever is passed
                self._synchronous.clear()
            self._synchronous[target] = synchronous
        return func if synchronous else super().ensure_sync(func)

    def dispatch_request(self) -> Any:
        attempt = 1
        while True:
            committing = False
            try:
                result = super().dispatch_request()
                response = self.make_response(result)
                committing = True
                _commit(response)
                return response
            except DBAPIError as error:
                _discard()
                replayable = flask.request.endpoint not in NOT_REPLAYABLE
                # A connection lost during COMMIT leaves the outcome unknown: never
                # run that again. Lost before it, the transaction was rolled back.
                stale = is_disconnect(error) and not committing
                if not ((is_retryable(error) or stale) and replayable) or attempt == MAX_ATTEMPTS:
                    raise
                log.info("retrying a transaction (attempt %d): %s", attempt + 1, error.orig)
                if not stale:
                    time.sleep(0.05 * 2 ** (attempt - 1))
                attempt += 1


def _commit(response: flask.Response) -> None:
    """Commit (or roll back) the request's session now, inside the retry loop."""
    session: Session | None = flask.g.pop("db_session", None)
    if session is None:
        return
    try:
        if flask.g.pop("db_autocommit", False):
            pass  # each statement committed itself; close() below returns the connection
        elif response.status_code < 400 and not flask.g.pop("db_rollback_only", False):
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


def _discard() -> None:
    session: Session | None = flask.g.pop("db_session", None)
    if session is not None:
        session.close()  # rolls back
