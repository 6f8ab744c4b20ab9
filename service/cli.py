"""`python -m service`: serve, db upgrade|current|downgrade, seed, openapi write."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click
import yaml

from . import __version__
from .audit import acting_as
from .config import ConfigError, Settings
from .db import Database

log = logging.getLogger("service.cli")


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    """A Database for one command, its pool closed however the command ends."""
    database = Database(settings)
    try:
        yield database
    finally:
        database.dispose()


@click.group()
@click.version_option(__version__, prog_name="procurement-tracker")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Procurement tracker: defence procurement deals over a REST API.

    Configuration comes from environment variables (see README); with no
    DATABASE_URL, an embedded PostgreSQL keeps its data in PGDATA_DIR.
    """
    try:
        ctx.obj = Settings.from_env()
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
    from .observability import configure_logging

    configure_logging(ctx.obj.log_level, ctx.obj.log_format)
    # Records and their history name the command that wrote them ("cli:import").
    ctx.with_resource(acting_as(f"cli:{ctx.invoked_subcommand or 'unknown'}"))


# --- database -------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Manage the database schema (Alembic migrations)."""


@db.command("upgrade")
@click.argument("revision", default="head")
@click.pass_context
def db_upgrade(ctx: click.Context, revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    from .migrate import upgrade

    with _database(_settings(ctx)) as database:
        upgrade(database.engine, revision)
        click.echo(f"database at {_current(database)}")


@db.command("downgrade")
@click.argument("revision")
@click.pass_context
def db_downgrade(ctx: click.Context, revision: str) -> None:
    """Migrate the database down to REVISION ("base" removes every table)."""
    from .migrate import downgrade

    with _database(_settings(ctx)) as database:
        downgrade(database.engine, revision)
        click.echo(f"database at {_current(database)}")


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Print the database's revision and the code's."""
    from .migrate import head_revision

    with _database(_settings(ctx)) as database:
        click.echo(f"database: {_current(database)}\ncode:     {head_revision()}")


def _current(database: Database) -> str:
    from .migrate import current_revision

    with database.engine.connect() as connection:
        return current_revision(connection) or "nothing (empty database)"


def _check_schema(database: Database, migrate: bool) -> None:
    """Migrate, or refuse to go on when the schema is not at the code's revision."""
    from .migrate import current_revision, head_revision, upgrade

    if migrate:
        upgrade(database.engine)
        return
    with database.engine.connect() as connection:
        current = current_revision(connection)
    if current != head_revision():
        raise click.ClickException(
            f"The database schema is at {current or 'nothing'} but this version needs "
            f"{head_revision()}. Run: python -m service db upgrade "
            "(or set MIGRATE_ON_START=true)."
        )


# --- seeds ----------------------------------------------------------------------------


def run_seed(database: Database, seeds_dir: Path, *, only_if_empty: bool = False) -> Counter[str]:
    """Extract the seed articles and upsert their records in one transaction."""
    from .services import articles, query

    outcome: Counter[str] = Counter()
    with database.session_scope() as session:
        if only_if_empty and query.count(session, query.RecordQuery()) > 0:
            outcome["skipped (database not empty)"] = 1
            return outcome
        outcome.update(articles.seed(session, seeds_dir))
    return outcome


@cli.command()
@click.option("--seeds-dir", type=click.Path(path_type=Path), help="Default: SEEDS_DIR.")
@click.pass_context
def seed(ctx: click.Context, seeds_dir: Path | None) -> None:
    """Extract seeds/articles and upsert their records (idempotent: keyed by article and deal)."""
    settings = _settings(ctx)
    folder = seeds_dir or settings.seeds_dir
    if not (folder / "articles").is_dir():
        raise click.ClickException(f"no articles folder in {folder}")
    with _database(settings) as database:
        _check_schema(database, settings.migrate_on_start)
        outcome = run_seed(database, folder)
    click.echo(", ".join(f"{n} {what}" for what, n in sorted(outcome.items())) or "no records")


# --- import ---------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised inside the transaction of a dry run or a failed atomic import."""


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "sipri-deals", "sipri-deliveries", "csv", "ndjson"]),
    default="auto",
    show_default=True,
    help="File format; auto detects it from the content.",
)
@click.option("--dry-run", is_flag=True, help="Validate and count, write nothing.")
@click.option("--atomic", is_flag=True, help="All or nothing: any rejected row writes nothing.")
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    default=Path("import-rejected.ndjson"),
    show_default=True,
    help="Where rejected rows go (one JSON object per line: file, line, raw, errors).",
)
@click.pass_context
def import_(
    ctx: click.Context,
    files: tuple[Path, ...],
    fmt: str,
    dry_run: bool,
    atomic: bool,
    report: Path,
) -> None:
    """Load deal lists: SIPRI trade registers (both layouts), CSV or NDJSON.

    Re-importing a file updates records in place (keyed by SIPRI's deal, or the
    row's external_id); rejected rows are reported and never written.
    """
    from .importing import ImportFileError, read_rows

    settings = _settings(ctx)
    interactive = sys.stdout.isatty()
    totals: Counter[str] = Counter()
    rejected: list[dict[str, Any]] = []
    failed = False
    with _database(settings) as database:
        _check_schema(database, settings.migrate_on_start)
        try:
            with database.session_scope() as session:
                for path in files:
                    try:
                        handle = path.open("rb")
                    except OSError as error:
                        click.echo(f"{path}: cannot read: {error.strerror}", err=True)
                        failed = True
                        continue
                    with handle:
                        try:
                            chosen, rows = read_rows(
                                handle, None if fmt == "auto" else fmt, path.name
                            )
                            result = _import_file(session, path, chosen, rows, interactive)
                        except ImportFileError as error:
                            click.echo(f"{path}: {error}", err=True)
                            failed = True
                            continue
                    if not dry_run:
                        from .services import imports

                        imports.record(
                            session,
                            actor="cli:import",
                            source=path.name,
                            fmt=chosen,
                            counts=result.summary(),
                        )
                    totals.update(result.summary())
                    rejected.extend({"file": str(path), **item} for item in result.rejected)
                    click.echo(
                        f"{path} ({chosen}): "
                        + ", ".join(f"{n} {k}" for k, n in result.summary().items())
                    )
                if dry_run or (atomic and (rejected or failed)):
                    raise _Rollback
        except _Rollback:
            pass
    if rejected:
        with report.open("w", encoding="utf-8") as out:
            for item in rejected:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
    written = "nothing written" if dry_run or (atomic and (rejected or failed)) else "committed"
    click.echo(
        "total: "
        + ", ".join(f"{totals[k]} {k}" for k in ("created", "updated", "unchanged", "rejected"))
        + f"; {written}"
        + (f"; rejected rows in {report}" if rejected else "")
    )
    if failed or (atomic and rejected):
        ctx.exit(1)


def _import_file(session: Any, path: Path, fmt: str, rows: Any, interactive: bool) -> Any:
    from . import bulk

    report = bulk.Report(format=fmt)
    if interactive:
        bar: Any
        with click.progressbar(length=None, label=f"{path.name}: rows", show_pos=True) as bar:
            seen = 0

            def tick(done: int) -> None:
                nonlocal seen
                bar.update(done - seen)
                seen = done

            bulk.run(session, rows, report, progress=tick)
    else:

        def note(done: int) -> None:
            if done % 10_000 < bulk.BATCH:
                click.echo(f"{path.name}: {done} rows read")

        bulk.run(session, rows, report, progress=note)
    return report


# --- extraction -----------------------------------------------------------------------


def _published_on(path: Path) -> date | None:
    meta = path.with_suffix(".json")
    if not meta.exists():
        return None
    try:
        raw = json.loads(meta.read_text(encoding="utf-8"))
        value = raw.get("published_on") or raw.get("published")
        return date.fromisoformat(value) if value else None
    except (OSError, ValueError, AttributeError):
        return None


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True
)
@click.pass_context
def extract(ctx: click.Context, files: tuple[Path, ...], fmt: str) -> None:
    """Propose the procurement records each article FILE reports (nothing is stored).

    json: one line per file, {"file": ..., "records": [...]} (or "error"). A file
    that cannot be read is reported and the others are still processed; the exit
    status is then 1. A `.json` beside a file may give its published date.
    """
    from .services import articles

    gazetteer = _settings(ctx).seeds_dir / "gazetteer"
    failed = False
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            failed = True
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            if fmt == "json":
                click.echo(json.dumps({"file": str(path), "error": reason or str(error)}))
            else:
                click.echo(f"{path}: cannot read: {reason}", err=True)
            continue
        result = articles.run(text, gazetteer, _published_on(path))
        if fmt == "json":
            line: dict[str, Any] = {
                "file": str(path),
                "records": [c.as_dict() for c in result.records],
            }
            if result.truncated_at is not None:
                line["truncated_at"] = result.truncated_at
            click.echo(json.dumps(line, ensure_ascii=False))
        else:
            click.echo(_table(path, result.records))
            if result.truncated_at is not None:
                click.echo(
                    f"  analysis stopped at offset {result.truncated_at} (work budget); "
                    "split the file to analyse the rest",
                    err=True,
                )
    if failed:
        ctx.exit(1)


def _table(path: Path, candidates: list[Any]) -> str:
    lines = [f"{path}: {len(candidates)} record(s)"]
    for c in candidates:
        f = c.fields
        low, high = f["quantity_min"], f["quantity_max"]
        qty = "?" if low is None and high is None else f"{low or '?'}-{high or '?'}"
        if low is not None and low == high:
            qty = str(low)
        lines.append(
            f"  {f['buyer']} <- {f['seller'] or '?'}  {f['system']} ({f['category']})  "
            f"qty {qty}  {f['status']}  maker {f['manufacturer'] or '-'}  "
            f"conf {c.confidence:.2f}"
        )
        if c.evidence:
            lines.append(f'    "{c.evidence[0]["text"][:110]}"')
    return "\n".join(lines)


@cli.command("extract-eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--quiet", is_flag=True, help="Print only the summary line.")
@click.pass_context
def extract_eval(ctx: click.Context, gold_dir: Path, quiet: bool) -> None:
    """Score the extractor on labelled articles (NN-slug.txt with NN-slug.json gold)."""
    from .extraction.evaluate import Score, gold_articles, score_article, summary_line
    from .parties import UnknownParty, parties
    from .services import articles

    def country(value: Any) -> str:
        if value is None:
            return ""
        try:
            return parties().resolve(str(value)).name
        except UnknownParty:
            return str(value).casefold()

    gazetteer = _settings(ctx).seeds_dir / "gazetteer"
    total = Score()
    for path, gold in gold_articles(gold_dir):
        published = gold.get("published") or gold.get("published_on")
        predicted = [
            c.fields
            for c in articles.extract(
                path.read_text(encoding="utf-8"),
                gazetteer,
                date.fromisoformat(published) if published else None,
            )
        ]
        score = score_article(predicted, gold.get("records", []), country)
        total.add(score)
        if not quiet:
            click.echo(
                f"{path.stem}: gold {score.gold} predicted {score.predicted} "
                f"matched {score.true_positive}"
            )
    if not quiet:
        click.echo(
            "fields over matched records: "
            + " ".join(
                f"{name}={total.accuracy(name):.3f}"
                for name in ("quantity_min", "quantity_max", "status", "manufacturer", "category")
            )
        )
    click.echo(summary_line(total))


@cli.command("reporting-role")
@click.option("--name", default="reporting", show_default=True, help="Role name.")
@click.pass_context
def reporting_role(ctx: click.Context, name: str) -> None:
    """Create the read-only role of BI tools (password from REPORTING_PASSWORD).

    The role may read the views of schema `reporting` (deals, totals_by_party,
    totals_by_year) and nothing else. Running it again resets the password.
    """
    from .services import reporting

    settings = _settings(ctx)
    password = settings.reporting_password
    if password is None:
        raise click.UsageError("Set REPORTING_PASSWORD (at least 8 characters).")
    with _database(settings) as database:
        _check_schema(database, settings.migrate_on_start)
        with database.session_scope() as session:
            created = reporting.ensure_role(session, name, password)
    click.echo(f"{'created' if created else 'updated'} role {name}: reads schema reporting only")


# --- API keys -------------------------------------------------------------------------


@cli.group()
def keys() -> None:
    """Manage API keys (writes need a key with scope write; key routes need admin)."""


@keys.command("create")
@click.option("--name", required=True, help="Who holds the key; records keep this name.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(["read", "write", "admin"]),
    help="read, write or admin (repeatable; admin includes write, write includes read).",
)
@click.pass_context
def keys_create(ctx: click.Context, name: str, scopes: tuple[str, ...]) -> None:
    """Create a key and print its secret: it is shown this once and stored only as a hash."""
    from .exceptions import Conflict
    from .services import keys as key_service

    settings = _settings(ctx)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}", name):
        raise click.BadParameter(
            "1 to 64 letters, digits, '.', '_', '@' or '-'", param_hint="--name"
        )
    with _database(settings) as database:
        _check_schema(database, settings.migrate_on_start)
        try:
            with database.session_scope() as session:
                created = key_service.create(session, name, list(scopes), created_by="cli")
        except Conflict as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"created key {name!r} ({', '.join(created.key.scopes)}); its secret:", err=True)
    click.echo(created.secret)


@keys.command("list")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked keys.")
@click.pass_context
def keys_list(ctx: click.Context, include_revoked: bool) -> None:
    """List keys: name, scopes, prefix, created, revoked (never a secret)."""
    from .services import keys as key_service

    settings = _settings(ctx)
    with _database(settings) as database:
        _check_schema(database, settings.migrate_on_start)
        with database.session_scope() as session:
            for key in key_service.list_(session, include_revoked=include_revoked):
                revoked = f"  revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else ""
                click.echo(
                    f"{key.name:24} {','.join(key.scopes):18} {key.prefix}…  "
                    f"created {key.created_at:%Y-%m-%d %H:%M}{revoked}  id {key.id}"
                )


@keys.command("revoke")
@click.argument("name_or_id")
@click.pass_context
def keys_revoke(ctx: click.Context, name_or_id: str) -> None:
    """Revoke the active key with this name (or id), with immediate effect."""
    from .exceptions import NotFound
    from .services import keys as key_service

    settings = _settings(ctx)
    with _database(settings) as database:
        _check_schema(database, settings.migrate_on_start)
        try:
            with database.session_scope() as session:
                key = key_service.revoke(session, key_service.find_active(session, name_or_id))
        except NotFound as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"revoked key {key.name!r} ({key.prefix}…)")


# --- serve ----------------------------------------------------------------------------


@cli.command()
@click.option("--bind", envvar="BIND", help="HOST:PORT to listen on (default 127.0.0.1:8000).")
@click.option("--workers", envvar="WORKERS", type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--threads", envvar="THREADS", type=click.IntRange(1, 64), help="Threads per worker.")
@click.option(
    "--timeout", envvar="TIMEOUT", type=click.IntRange(1, 3600), help="Worker timeout (s)."
)
@click.option(
    "--migrate/--no-migrate", default=None, help="Migrate at start (default: MIGRATE_ON_START)."
)
@click.option("--seed/--no-seed", default=None, help="Seed an empty database (SEED_ON_START).")
@click.pass_context
def serve(
    ctx: click.Context,
    bind: str | None,
    workers: int | None,
    threads: int | None,
    timeout: int | None,
    migrate: bool | None,
    seed: bool | None,
) -> None:
    """Serve the API with gunicorn: migrate, seed an empty database, fork workers."""
    overrides = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "timeout": timeout,
        "migrate_on_start": migrate,
        "seed_on_start": seed,
    }
    try:
        settings = _settings(ctx).with_overrides(
            **{k: v for k, v in overrides.items() if v is not None}
        )
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
    _metrics_folder()
    from sqlalchemy.exc import OperationalError

    with _database(settings) as database:
        # Resolve the URL here in the master: the embedded server starts before the fork.
        settings = settings.with_overrides(database_url=database.url)
        try:
            _prepare(database, settings)
        except OperationalError as error:
            # No crash loop: serve anyway. /health/live answers, /health/ready and every
            # request needing the database answer 503 until it is back (and migrated).
            log.error(
                "database unreachable at start (%s): serving anyway, not ready until it "
                "answers; migrate with `python -m service db upgrade` if needed",
                str(error.orig).strip().splitlines()[0] if error.orig else error,
            )
    _run_gunicorn(settings)


def _prepare(database: Database, settings: Settings) -> None:
    """Before the workers fork: migrate (one runner at a time), seed, reporting role."""
    _check_schema(database, settings.migrate_on_start)
    if settings.seed_on_start:
        with acting_as("cli:seed"):  # not "cli:serve"
            outcome = run_seed(database, settings.seeds_dir, only_if_empty=True)
        log.info("seed: %s", dict(outcome))
    if settings.reporting_password:
        # docker compose --profile dashboards: Grafana logs in as this role.
        from .services import reporting

        with database.session_scope() as session:
            reporting.ensure_role(session, "reporting", settings.reporting_password)


def _metrics_folder() -> None:
    """Where the workers write their metric samples (before any worker starts):
    PROMETHEUS_MULTIPROC_DIR if set, else a new temporary folder; emptied."""
    import tempfile

    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(
        prefix="procurement-metrics-"
    )
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder


def _run_gunicorn(settings: Settings) -> None:
    from gunicorn.app.base import BaseApplication

    from .app import create_app
    from .observability import ACCESS_LOG_FORMAT, AccessLogger

    options: dict[str, Any] = {
        "bind": settings.bind,
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": "gthread" if settings.threads > 1 else "sync",
        "timeout": settings.timeout,
        "graceful_timeout": settings.timeout,
        # A worker is replaced after about MAX_REQUESTS requests: slow leaks stay bounded.
        "max_requests": settings.max_requests,
        "max_requests_jitter": settings.max_requests // 10,
        "accesslog": "-",
        "logger_class": AccessLogger,
        **({"access_log_format": ACCESS_LOG_FORMAT} if settings.log_format == "json" else {}),
        "errorlog": "-",
        "loglevel": settings.log_level.lower(),
        "proc_name": "procurement-tracker",
        # gunicorn >= 25 opens a control socket in $HOME by default; two servers of one
        # user would fight over it, and the image's user has no writable home.
        "control_socket_disable": True,
    }

    def child_exit(_server: Any, worker: Any) -> None:
        # A dead worker's samples leave the sums (prometheus_client multiprocess mode).
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]

    options["child_exit"] = child_exit

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app(settings)

    Server().run()


# --- openapi --------------------------------------------------------------------------


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document generated from the code (no database needed)."""
    from .app import create_app

    app = create_app(Settings())
    with app.app_context():
        api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
        spec: dict[str, Any] = json.loads(json.dumps(api.spec.to_dict()))
    return spec


def openapi_yaml() -> str:
    """The OpenAPI document as the YAML committed in openapi.yaml."""
    return yaml.safe_dump(openapi_document(), sort_keys=False, allow_unicode=True, width=100)


@cli.group()
def openapi() -> None:
    """The OpenAPI contract."""


@openapi.command("write")
@click.argument("path", type=click.Path(path_type=Path), default="openapi.yaml")
def openapi_write(path: Path) -> None:
    """Write the OpenAPI document to PATH (default openapi.yaml; - for stdout)."""
    text = openapi_yaml()
    if str(path) == "-":
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {path}")
