"""Settings come from the environment and are validated at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import ConfigError, Settings


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s.database_url is None
    assert s.pgdata == Path("./var/pgdata")
    assert s.bind == "127.0.0.1:8000"
    assert (s.migrate_on_start, s.seed_on_start) == (True, True)
    assert s.max_body_bytes == 1024 * 1024


def test_values_from_environment() -> None:
    s = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://u:p@db:5432/app",
            "BIND": "0.0.0.0:9000",
            "WORKERS": "4",
            "MIGRATE_ON_START": "false",
            "LOG_LEVEL": "debug",
            "PGDATA_DIR": "/data/pg",
        }
    )
    assert s.database_url == "postgresql://u:p@db:5432/app"
    assert (s.bind, s.workers, s.migrate_on_start, s.log_level) == (
        "0.0.0.0:9000",
        4,
        False,
        "DEBUG",
    )
    assert s.pgdata == Path("/data/pg")


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"WORKERS": "many"}, "WORKERS"),
        ({"WORKERS": "0"}, "WORKERS"),
        ({"MIGRATE_ON_START": "maybe"}, "MIGRATE_ON_START"),
        ({"BIND": "8000"}, "BIND"),
        ({"DATABASE_URL": "sqlite:///x.db"}, "DATABASE_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env(env)
