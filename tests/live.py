"""A real server for tests that need concurrency or a browser: the app on its own
migrated database, served by a threaded werkzeug server on a free local port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from service.app import create_app
from service.config import Settings
from service.db import get_db
from tests.conftest import ROOT, migrated_database

__all__ = ["bearer", "live_server", "migrated_database"]


def bearer(url: str, name: str = "live-admin", *scopes: str) -> dict[str, str]:
    """An Authorization header with a new key (default scope admin) on database `url`."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from service.db import sqlalchemy_url
    from service.services import keys

    engine = create_engine(sqlalchemy_url(url))
    try:
        with Session(engine) as session:
            created = keys.create(session, name, list(scopes or ("admin",)))
            session.commit()
    finally:
        engine.dispose()
    return {"Authorization": f"Bearer {created.secret}"}


@contextmanager
def live_server(url: str, pgdata: Path, **settings: object) -> Iterator[tuple[str, Flask]]:
    """(base URL, app) of the service on `url`; closed with its pool afterwards."""
    config = Settings(
        database_url=url,
        pgdata=pgdata,
        seeds_dir=ROOT / "seeds",
        log_level="ERROR",
        rate_limits=False,
    )
    app = create_app(config.with_overrides(**settings) if settings else config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        server.server_close()
        get_db(app).dispose()
