"""Pieces of the fault-injection suite: a throwaway PostgreSQL cluster, the service
under gunicorn, a paced load with a ledger of acknowledged writes, and the
invariants checked after every scenario.

Everything stays on 127.0.0.1; every process is started here and stopped by its
own pid (never by name); every folder is a temporary one.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A PostgreSQL cluster of its own (pgserver's binaries, initdb in a temp folder)."""

    def __init__(self, folder: Path) -> None:
        from pgserver._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.data = folder / "pgdata"
        self.log = folder / "postgres.log"
        self.tool_log = folder / "tools.log"
        self.port = free_port()
        self.user: str | None = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

            self.user = "pgserver"
            ensure_user_exists(self.user)
            ensure_prefix_permissions(folder)
            import pwd

            entry = pwd.getpwnam(self.user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)

    def _run(self, exe: str, *args: str, timeout: float = 90) -> None:
        with open(os.devnull, "wb") as null:
            subprocess.run(
                [str(self.bin / exe), *args],
                check=True,
                stdout=null,
                stderr=null,
                timeout=timeout,
                user=self.user,
                cwd="/",
            )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self, max_connections: int = 100) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} "
            f"-c unix_socket_directories='{self.data}' "
            f"-c max_connections={max_connections} -c fsync=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> list[Any]:
        engine = create_engine(
            self.url(database).replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
        )
        try:
            with engine.connect() as conn:
                result = conn.execute(text(statement))
                return list(result) if result.returns_rows else []
        finally:
            engine.dispose()


class Server:
    """`python -m service serve` (gunicorn) on a free port; stopped by its own pid."""

    def __init__(self, database_url: str, folder: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"127.0.0.1:{self.port}"
        self.log = folder / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BIND": self.base,
            "WORKERS": "2",
            "TIMEOUT": "30",
            "RATE_LIMITS": "false",
            "MIGRATE_ON_START": "false",
            "SEED_ON_START": "false",
            "LOG_FORMAT": "text",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait_ready: bool = True) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "service", "serve"],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        probe = "/health/ready" if wait_ready else "/health/live"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            if call(self.base, "GET", probe, timeout=2).status == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"server not up: {self.log.read_text()[-2000:]}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except FileNotFoundError:
            return []

    def signal(self, sig: int) -> None:
        os.kill(self.pid, sig)

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=10)


@dataclass
class Reply:
    status: int  # 0: no HTTP answer (connection refused or reset)
    body: Any
    headers: dict[str, str]
    seconds: float


def call(
    base: str,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
    raw: bytes | None = None,
) -> Reply:
    host, port = base.split(":")
    start = time.monotonic()
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        payload = (
            raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        )
        sent = dict(headers or {})
        if payload is not None and raw is None:
            sent.setdefault(
                "Content-Type",
                "application/merge-patch+json" if method == "PATCH" else "application/json",
            )
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        data = response.read()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return Reply(response.status, parsed, dict(response.headers), time.monotonic() - start)
    except (OSError, http.client.HTTPException):
        return Reply(0, None, {}, time.monotonic() - start)
    finally:
        connection.close()


def deal(n: int, marker: str) -> dict[str, Any]:
    return {
        "buyer": random.choice(["Belgium", "Poland", "Norway", "Estonia", "Finland"]),
        "seller": "Poland",
        "system": f"Piorun-{marker}",
        "category": "air-defence",
        "status": "intent",
        "quantity_min": n % 100,
        "quantity_max": n % 100 + 50,
        "external_id": f"{marker}:{n}",
    }


def digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass
class Ledger:
    """Every write the service acknowledged (2xx), and every reply seen."""

    creates: dict[str, str] = field(default_factory=dict)  # external_id -> record id
    updates: dict[str, int] = field(default_factory=dict)  # record id -> version acknowledged
    replies: list[tuple[float, str, int, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, at: float, op: str, reply: Reply) -> None:
        with self.lock:
            self.replies.append((at, op, reply.status, reply.seconds))


class Load:
    """Paced client threads: 60% list, 15% read, 15% PATCH with If-Match, 10% POST
    with an Idempotency-Key (retried with the same key until acknowledged)."""

    def __init__(self, base: str, auth: dict[str, str], ledger: Ledger, marker: str) -> None:
        self.base, self.auth, self.ledger, self.marker = base, auth, ledger, marker
        self.stop = threading.Event()
        self.t0 = time.monotonic()
        self.threads: list[threading.Thread] = []
        self.counter = 0
        self.count_lock = threading.Lock()
        self.problems: list[str] = []

    def _next(self) -> int:
        with self.count_lock:
            self.counter += 1
            return self.counter

    def _create(self, rng: random.Random) -> None:
        n = self._next()
        body = deal(n, self.marker)
        key = f"{self.marker}-{n}"
        for _ in range(20):  # a client retries with the same key until it is answered
            if self.stop.is_set() and _ > 0:
                return
            at = time.monotonic() - self.t0
            reply = call(
                self.base,
                "POST",
                "/api/v1/procurements",
                body,
                {**self.auth, "Idempotency-Key": key},
                timeout=10,
            )
            self.ledger.note(at, "create", reply)
            if reply.status == 201:
                with self.ledger.lock:
                    self.ledger.creates[body["external_id"]] = reply.body["id"]
                return
            if reply.status not in (0, 409, 503):
                self.problems.append(f"create {reply.status}: {reply.body}")
                return
            time.sleep(0.3)

    def _update(self, rng: random.Random) -> None:
        with self.ledger.lock:
            known = list(self.ledger.creates.values())
        if not known:
            return
        rid = rng.choice(known)
        at = time.monotonic() - self.t0
        current = call(
            self.base, "GET", f"/api/v1/procurements/{rid}", headers=self.auth, timeout=10
        )
        self.ledger.note(at, "read", current)
        if current.status != 200:
            return
        reply = call(
            self.base,
            "PATCH",
            f"/api/v1/procurements/{rid}",
            {"notes": f"edit {self._next()}"},
            {**self.auth, "If-Match": current.headers.get("ETag", "")},
            timeout=10,
        )
        self.ledger.note(time.monotonic() - self.t0, "update", reply)
        if reply.status == 200:
            with self.ledger.lock:
                previous = self.ledger.updates.get(rid, 0)
                self.ledger.updates[rid] = max(previous, reply.body["version"])

    def _list(self, rng: random.Random) -> None:
        at = time.monotonic() - self.t0
        query = rng.choice(["limit=20", "buyer=Poland&limit=10", "sort=-quantity_max&limit=5"])
        self.ledger.note(
            at, "list", call(self.base, "GET", f"/api/v1/procurements?{query}", timeout=10)
        )

    def _worker(self, seed: int, interval: float) -> None:
        rng = random.Random(seed)
        while not self.stop.is_set():
            started = time.monotonic()
            pick = rng.random()
            if pick < 0.6:
                self._list(rng)
            elif pick < 0.75:
                with self.ledger.lock:
                    known = list(self.ledger.creates.values())
                if known:
                    rid = rng.choice(known)
                    self.ledger.note(
                        time.monotonic() - self.t0,
                        "read",
                        call(self.base, "GET", f"/api/v1/procurements/{rid}", timeout=10),
                    )
            elif pick < 0.9:
                self._update(rng)
            else:
                self._create(rng)
            self.stop.wait(max(0.0, interval - (time.monotonic() - started)))

    def start(self, threads: int = 4, rate: float = 40) -> None:
        self.t0 = time.monotonic()
        for n in range(threads):
            thread = threading.Thread(target=self._worker, args=(n, threads / rate), daemon=True)
            thread.start()
            self.threads.append(thread)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.t0


@contextmanager
def load(base: str, auth: dict[str, str], ledger: Ledger, marker: str) -> Iterator[Load]:
    running = Load(base, auth, ledger, marker)
    running.start()
    try:
        yield running
    finally:
        running.finish()


def check_invariants(cluster: Cluster, database: str, ledger: Ledger, head: str) -> dict[str, Any]:
    """I1 every acknowledged create exists; I2 no duplicates; I5 acknowledged versions
    are not ahead of the database; I7 one alembic_version row at head. Returns counts."""
    rows = cluster.sql("SELECT id::text, external_id, version FROM procurement", database)
    by_external = {}
    duplicates = 0
    for rid, external_id, version in rows:
        if external_id in by_external:
            duplicates += 1
        by_external[external_id] = (rid, version)
    lost = [k for k, rid in ledger.creates.items() if by_external.get(k, (None,))[0] != rid]
    versions = {rid: version for rid, _e, version in rows}
    behind = [rid for rid, v in ledger.updates.items() if versions.get(rid, 0) < v]
    alembic = [r[0] for r in cluster.sql("SELECT version_num FROM alembic_version", database)]
    assert lost == [], f"I1: acknowledged creates missing: {lost[:5]}"
    assert duplicates == 0, "I2: duplicated records"
    assert behind == [], f"I5: acknowledged updates lost: {behind[:5]}"
    assert alembic == [head], f"I7: alembic_version is {alembic}"
    return {
        "records": len(rows),
        "acknowledged_creates": len(ledger.creates),
        "acknowledged_updates": len(ledger.updates),
    }


def window(ledger: Ledger, start: float, end: float) -> list[tuple[float, str, int, float]]:
    return [r for r in ledger.replies if start <= r[0] < end]
