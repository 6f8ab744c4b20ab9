"""Property-based run of schemathesis over every operation of the spec.

For each operation, valid (positive) and invalid (negative) requests generated
from openapi.yaml go to the app: no response may be a 5xx, every response must
conform to the spec (status code, content type, headers, body schema) and
invalid requests must be rejected. The run is derandomised so CI is repeatable.

One check is left out: `positive_data_acceptance`. Some rules cannot be said in
JSON Schema (quantity_min <= quantity_max, a currency only with an amount), so
schema-valid requests may rightly get a 422; their own tests live in test_errors.
For the file upload of /api/v1/imports, `negative_data_rejection` is left out as
well: any bytes are a file, and bad rows are reported, not refused.
The custom formats `party` and `iso-4217` draw real names and codes, so that
generated requests get past validation and exercise the database paths.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pycountry
import pytest
import schemathesis
import yaml
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from service.db import get_db
from service.parties import parties

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "30"))
"""Examples per operation and mode: 30 in `make test`, 100 in CI's second run."""
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
CASES = [
    pytest.param(method.upper(), path, mode, id=f"{method.upper()} {path} {mode.value}")
    for path, operations in SPEC["paths"].items()
    for method, operation in operations.items()
    if method in {"get", "post", "put", "patch", "delete"}
    for mode in GenerationMode
    # Negative requests need something to make invalid: parameters or a body.
    if mode is GenerationMode.POSITIVE
    or operation.get("parameters")
    or operations.get("parameters")
    or operation.get("requestBody")
]

schemathesis.openapi.format("party", st.sampled_from(parties().canonical_names))
schemathesis.openapi.format(
    "iso-4217", st.sampled_from(sorted(c.alpha_3 for c in pycountry.currencies))
)


def _schema(app: Flask, key: str) -> Any:
    """The app's schema, authenticated as an admin: every operation runs its real code
    path, and the ignored_auth check probes each with no key and a wrong one (401)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    @schema.auth()
    class AdminKey:
        def get(self, case: schemathesis.Case, context: Any) -> str:
            return key

        def set(self, case: schemathesis.Case, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_api_conforms_to_its_spec(
    app: Flask, admin_key: str, method: str, path: str, mode: GenerationMode
) -> None:
    schema = _schema(app, admin_key)
    operation = schema[path][method]
    excluded = [positive_data_acceptance]
    if path == "/api/v1/imports":
        # Any bytes are a file: a "schema-violating" body is just another file, whose
        # rows the import reports as rejected (its own tests cover that).
        excluded.append(negative_data_rejection)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=excluded)

    check()


def test_stateful_links_create_read_change_delete(app: Flask, admin_key: str) -> None:
    """Stateful phase: scenarios follow the spec's OpenAPI links from a created record
    to reading, replacing, patching, deleting it and reading its history; every
    response is checked as above, plus the stateful checks (a deleted record is gone,
    a created one can be read back)."""
    schema = _schema(app, admin_key)
    links = SPEC["paths"]["/api/v1/procurements"]["post"]["responses"]["201"]["links"]
    assert set(links) >= {"GetProcurement", "ReplaceProcurement", "DeleteProcurement"}
    machine = schema.as_state_machine()

    connection = get_db(app).bound_connection
    assert connection is not None
    seen: set[tuple[str, str, int]] = set()

    class Scenarios(machine):  # type: ignore[misc,valid-type]
        # Every scenario starts from the same state: its writes are undone after it
        # (including a revoked admin key), so scenarios replay as generated.
        def setup(self) -> None:
            self.savepoint = connection.begin_nested()

        def teardown(self) -> None:
            self.savepoint.rollback()

        def after_call(self, response: Any, case: schemathesis.Case) -> None:
            super().after_call(response, case)
            seen.add((case.method, case.path, response.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
            case.validate_response(
                response, excluded_checks=[positive_data_acceptance], transport_kwargs=kwargs
            )

    Scenarios.run(
        settings=settings(
            # enough scenarios that some follow the links from a create to a delete
            # whatever other tests left in the database (the paths depend on responses)
            max_examples=max(EXAMPLES, 60),
            stateful_step_count=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    one = "/api/v1/procurements/{procurement_id}"
    # The links were followed to real records: create, read and delete succeeded, and
    # replacements and patches reached the record (a generated body may rightly break
    # a rule, 422, or carry a stale If-Match, 412, but the record was found).
    assert {
        ("POST", "/api/v1/procurements", 201),
        ("GET", one, 200),
        ("DELETE", one, 204),
    } <= seen, sorted(seen)
    for method in ("PUT", "PATCH"):
        reached = {s for m, p, s in seen if m == method and p == one} - {401, 404}
        assert reached, (method, sorted(seen))
