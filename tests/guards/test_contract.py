"""The committed openapi.yaml is the spec the code generates, and valid OpenAPI 3."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_spec_validator import validate

from service.cli import openapi_document

ROOT = Path(__file__).resolve().parents[2]


def test_committed_openapi_matches_the_code() -> None:
    committed = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    assert committed == openapi_document(), (
        "openapi.yaml is out of date: run `make openapi` "
        "(python -m service openapi write openapi.yaml) and commit it"
    )


def test_openapi_is_valid() -> None:
    validate(openapi_document())


def test_every_operation_has_a_summary_and_problem_errors() -> None:
    spec = openapi_document()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            default = operation["responses"]["default"]["$ref"].rsplit("/", 1)[-1]
            content = spec["components"]["responses"][default]["content"]
            assert list(content) == ["application/problem+json"]
