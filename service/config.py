"""One Settings object, read from the environment and validated at start.

Every setting is an environment variable; the README lists them with their
defaults and `.env.example` shows them all. CLI flags mirror the serve settings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_PGDATA = "./var/pgdata"


class ConfigError(ValueError):
    """A setting has a value the service cannot run with."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?", origin):
            raise ConfigError(
                f"CORS_ORIGINS takes exact origins such as https://example.org, not {origin!r}"
            )
    return origins


def _rate(name: str, raw: str) -> str:
    from limits import parse_many

    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(f"{name} must look like 60/minute or 10/second;100/hour") from None
    return raw


def _redis(raw: str | None) -> str | None:
    if raw is not None and not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError("REDIS_URL must be a redis:// (or rediss://, unix://) URL")
    return raw


def _choice(name: str, raw: str, allowed: tuple[str, ...]) -> str:
    if raw not in allowed:
        raise ConfigError(f"{name} must be {' or '.join(allowed)}, not {raw!r}")
    return raw


def _log_format(raw: str) -> str:
    if raw not in {"json", "text"}:
        raise ConfigError(f"LOG_FORMAT must be json or text, not {raw!r}")
    return raw


def _bind(raw: str) -> str:
    if not re.fullmatch(r"[^\s:]*:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5}|unix:\S+", raw):
        raise ConfigError(f"BIND must look like HOST:PORT, not {raw!r}")
    return raw


def _default_seeds_dir() -> Path:
    # A source checkout and the Docker image both keep seeds/ beside the package.
    return Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class Settings:
    """Validated configuration of one service process."""

    database_url: str | None = None
    pgdata: Path = Path(DEFAULT_PGDATA)
    migrate_on_start: bool = True
    seed_on_start: bool = True
    seeds_dir: Path = field(default_factory=_default_seeds_dir)
    bind: str = DEFAULT_BIND
    workers: int = 2
    threads: int = 1
    timeout: int = 30
    max_requests: int = 10_000
    """A worker is replaced after about this many requests (±10%), so that a slow leak
    stays bounded; 0: never."""
    stats_cache: int = 32
    """Stats results each worker keeps and brings up to date from the change history
    instead of recounting (services/stats.py, StatsCache); 0: always recount."""
    db_pool_size: int = 5
    db_pool_timeout: int = 3
    db_statement_timeout_ms: int = 15_000
    max_body_bytes: int = 1024 * 1024
    import_max_bytes: int = 512 * 1024 * 1024
    batch_max_bytes: int = 32 * 1024 * 1024
    log_level: str = "INFO"
    log_format: str = "json"
    """json: one JSON object per line, with the request id; text: classic lines."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed to call the API from a browser (CORS); none by default."""
    require_if_match: bool = False
    """Writes to a record (PUT, PATCH, DELETE) must send If-Match (428 otherwise)."""
    read_access: str = "public"
    """public: reads need no key; key: every request needs an API key (scope read)."""
    rate_limits: bool = True
    """Rate limits on (429 past them); tests and benchmarks turn them off."""
    rate_limit_reads: str = "300/minute"
    """Reads per client address (and per key, when one is sent)."""
    rate_limit_writes: str = "60/minute"
    """Writes (create, change, delete, articles, key management) per API key."""
    rate_limit_imports: str = "10/minute"
    """Imports per API key."""
    rate_limit_auth_failures: str = "10/minute"
    """Requests with a wrong API key per client address, before 429."""
    redis_url: str | None = None
    """Where rate-limit counters live, shared by all workers; none: each process
    counts on its own (so a limit is per worker)."""
    trusted_hosts: tuple[str, ...] = ()
    """Host names the service answers to (400 for others); none: any."""
    trusted_proxies: int = 0
    """Proxies in front of the service whose X-Forwarded-For may be believed."""
    reporting_password: str | None = None
    """Password of the read-only `reporting` role of BI tools; when set, serving
    creates the role (or resets its password) at start."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read settings from `env` (default: the process environment); raise ConfigError."""
        env = os.environ if env is None else env
        s = cls()
        get = env.get
        level = get("LOG_LEVEL", s.log_level).upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
        reporting = get("REPORTING_PASSWORD") or None
        if reporting is not None and len(reporting) < 8:
            raise ConfigError("REPORTING_PASSWORD must have at least 8 characters")
        url = get("DATABASE_URL") or None
        if url is not None and not url.startswith(("postgresql://", "postgres://", "postgresql+")):
            raise ConfigError("DATABASE_URL must be a postgresql:// URL")
        return cls(
            database_url=url,
            pgdata=Path(get("PGDATA_DIR", str(s.pgdata))),
            migrate_on_start=_bool("MIGRATE_ON_START", get("MIGRATE_ON_START", "true")),
            seed_on_start=_bool("SEED_ON_START", get("SEED_ON_START", "true")),
            seeds_dir=Path(get("SEEDS_DIR", str(s.seeds_dir))),
            bind=_bind(get("BIND", s.bind)),
            workers=_int("WORKERS", get("WORKERS", str(s.workers)), 1, 64),
            threads=_int("THREADS", get("THREADS", str(s.threads)), 1, 64),
            timeout=_int("TIMEOUT", get("TIMEOUT", str(s.timeout)), 1, 3600),
            max_requests=_int(
                "MAX_REQUESTS", get("MAX_REQUESTS", str(s.max_requests)), 0, 10_000_000
            ),
            stats_cache=_int("STATS_CACHE", get("STATS_CACHE", str(s.stats_cache)), 0, 10_000),
            db_pool_size=_int("DB_POOL_SIZE", get("DB_POOL_SIZE", str(s.db_pool_size)), 1, 100),
            db_pool_timeout=_int(
                "DB_POOL_TIMEOUT", get("DB_POOL_TIMEOUT", str(s.db_pool_timeout)), 1, 300
            ),
            db_statement_timeout_ms=_int(
                "DB_STATEMENT_TIMEOUT_MS",
                get("DB_STATEMENT_TIMEOUT_MS", str(s.db_statement_timeout_ms)),
                0,
                3_600_000,
            ),
            max_body_bytes=_int(
                "MAX_BODY_BYTES", get("MAX_BODY_BYTES", str(s.max_body_bytes)), 1024, 1 << 30
            ),
            import_max_bytes=_int(
                "IMPORT_MAX_BYTES", get("IMPORT_MAX_BYTES", str(s.import_max_bytes)), 1024, 1 << 40
            ),
            batch_max_bytes=_int(
                "BATCH_MAX_BYTES", get("BATCH_MAX_BYTES", str(s.batch_max_bytes)), 1024, 1 << 32
            ),
            log_level=level,
            log_format=_log_format(get("LOG_FORMAT", "json")),
            reporting_password=reporting,
            cors_origins=_origins(get("CORS_ORIGINS", "")),
            rate_limits=_bool("RATE_LIMITS", get("RATE_LIMITS", "true")),
            rate_limit_reads=_rate("RATE_LIMIT_READS", get("RATE_LIMIT_READS", s.rate_limit_reads)),
            rate_limit_writes=_rate(
                "RATE_LIMIT_WRITES", get("RATE_LIMIT_WRITES", s.rate_limit_writes)
            ),
            rate_limit_imports=_rate(
                "RATE_LIMIT_IMPORTS", get("RATE_LIMIT_IMPORTS", s.rate_limit_imports)
            ),
            rate_limit_auth_failures=_rate(
                "RATE_LIMIT_AUTH_FAILURES",
                get("RATE_LIMIT_AUTH_FAILURES", s.rate_limit_auth_failures),
            ),
            redis_url=_redis(get("REDIS_URL") or None),
            trusted_hosts=tuple(
                h.strip() for h in get("TRUSTED_HOSTS", "").split(",") if h.strip()
            ),
            trusted_proxies=_int("TRUSTED_PROXIES", get("TRUSTED_PROXIES", "0"), 0, 10),
            read_access=_choice("READ_ACCESS", get("READ_ACCESS", "public"), ("public", "key")),
            require_if_match=_bool("REQUIRE_IF_MATCH", get("REQUIRE_IF_MATCH", "false")),
        )

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with the given fields replaced (used by CLI flags and tests)."""
        for key in ("bind",):
            if key in changes and isinstance(changes[key], str):
                _bind(changes[key])  # type: ignore[arg-type]
        return replace(self, **changes)  # type: ignore[arg-type]
