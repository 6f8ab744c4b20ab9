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

from pathlib import Path

import pycountry
import pytest
import schemathesis
import yaml
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from service.parties import parties

ROOT = Path(__file__).resolve().parents[2]
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


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_api_conforms_to_its_spec(
    app: Flask, admin_key: str, method: str, path: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    excluded = [positive_data_acceptance]
    if path == "/api/v1/imports":
        # Any bytes are a file: a "schema-violating" body is just another file, whose
        # rows the import reports as rejected (its own tests cover that).
        excluded.append(negative_data_rejection)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        # Authenticated as an admin: every operation runs its real code path.
        case.call_and_validate(
            headers={"Authorization": f"Bearer {admin_key}"}, excluded_checks=excluded
        )

    check()
