"""The API's OpenAPI 3.1 document is the truth about the API: every API route of the URL map
is described and every described path exists, and Schemathesis sends generated requests —
valid and invalid — to every operation and checks each answer (status, media type, body
schema, no server error; invalid input refused with a 4xx problem)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.architecture.test_routes import populated

__all__ = ["populated"]

#: Examples per operation and mode (positive and negative).
EXAMPLES = 25


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    # Schemathesis's WSGI transport asks for gzip but does not unpack it; compression has its
    # own test (test_http.py).
    app_config["COMPRESS_RESPONSES"] = False
    return app_config


@pytest.fixture
def api_schema(populated: Flask) -> Any:
    """The site as the route walk sets it up (documents, fiscal reports, the standard catalog,
    consultations, service items and powers), so operations answer with real records."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", populated)


def test_document_and_url_map_describe_the_same_endpoints(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    described = {path for path, item in document["paths"].items() if "get" in item}
    routed = {re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule).removeprefix("/api/v1")
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert described == routed
    assert document["servers"] == [{"url": "http://localhost/api/v1",
                                    "description": app.config["SITE_NAME"]}]
    operations = [item["get"]["operationId"] for item in document["paths"].values()]
    assert len(operations) == len(set(operations))


def _checker(operation: Any, mode: GenerationMode, calls: Counter[str]) -> Any:
    label = f"{operation.label} {mode.value}"

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        # A filter naming no agency or column is refused with a 400 by design (the one
        # validation policy), which this check would count as a rejection of valid data: the
        # schema cannot list codes that are data.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])
        calls[label] += 1

    return check


def test_every_operation_answers_as_documented(
        api_schema: Any, capsys: pytest.CaptureFixture[str]) -> None:
    calls: Counter[str] = Counter()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # Schemathesis leaves out the document's own path, /openapi.json.
    assert {operation.path for operation in operations} == (
        set(api_schema.raw_schema["paths"]) - {"/openapi.json"})
    for operation in operations:
        has_parameters = bool(operation.definition.raw.get("parameters"))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and not has_parameters:
                continue  # nothing to send wrong
            _checker(operation, mode, calls)()
    with capsys.disabled():
        print(f"\nOpenAPI conformance: {len(operations)} operations, "
              f"{sum(calls.values())} generated requests")
