"""The embedded PostgreSQL server used when no DATABASE_URL is configured.

The server comes from the `pgserver` package (PostgreSQL binaries inside a wheel),
keeps its data in a folder (PGDATA_DIR, default ./var/pgdata) so data survives
restarts, and listens on a Unix socket only. `serve` starts it once in the
gunicorn master before the workers fork and hands the workers its URL.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Handles of servers this process started, kept alive for the life of the process:
# pgserver stops the server when the last process holding a handle exits.
_servers: dict[Path, Any] = {}


def embedded_url(pgdata: Path) -> str:
    """Start (or join) the embedded server for `pgdata` and return its postgresql:// URL."""
    folder = pgdata.expanduser().resolve()
    server = _servers.get(folder)
    if server is None:
        import pgserver  # imported lazily: only the embedded mode needs it

        folder.mkdir(parents=True, exist_ok=True)
        log.info("starting embedded PostgreSQL in %s", folder)
        server = pgserver.get_server(folder, cleanup_mode="stop")  # type: ignore[attr-defined]
        _servers[folder] = server
    return str(server.get_uri())
