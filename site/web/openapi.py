"""The API's OpenAPI 3.1 document, served at ``/api/v1/openapi.json``.

Shared parts live in ``web/openapi.yaml``; each feature with endpoints describes them in its
own package's ``openapi.yaml`` (``paths`` relative to ``/api/v1`` and ``components``), which
are merged here in the order of :data:`API_FEATURES`. The server address is the configured
public one. ``tests/hardening/test_api_contract.py`` keeps the document and the URL map equal
and checks every answer against it.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml
from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from opengov.site.web.api import bp
from opengov.site.web.urls import site_url

#: Features whose package holds an ``openapi.yaml`` fragment.
API_FEATURES = ("catalog", "search", "fiscal", "service_items", "powers", "consultations")
EXTENSION_KEY = "opengov.openapi"


def _fragment(package: str) -> dict[str, Any]:
    text = resources.files(package).joinpath("openapi.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def build_document() -> dict[str, Any]:
    """The whole document: the shared part with every feature's paths and schemas."""
    document = _fragment("opengov.site.web")
    for feature in API_FEATURES:
        fragment = _fragment(f"opengov.site.{feature}")
        for path, item in fragment.get("paths", {}).items():
            if path in document["paths"]:
                raise ValueError(f"OpenAPI: {path} described twice")
            document["paths"][path] = item
        for section, entries in fragment.get("components", {}).items():
            target = document["components"].setdefault(section, {})
            for name, entry in entries.items():
                if name in target:
                    raise ValueError(f"OpenAPI: components/{section}/{name} described twice")
                target[name] = entry
    _allow_empty_query_values(document)
    return document


def _allow_empty_query_values(document: dict[str, Any]) -> None:
    """The one validation policy says an empty query parameter (``?year=``, what an HTML form
    sends for an untouched field) means "not given": every single-valued query parameter's
    schema admits ``""`` besides its values."""
    parameters = [parameter for item in document["paths"].values()
                  for operation in item.values() for parameter in operation.get("parameters", [])]
    parameters += list(document["components"].get("parameters", {}).values())
    for parameter in parameters:
        if parameter.get("in") != "query" or parameter.get("required"):
            continue
        schema = parameter.get("schema", {})
        if schema.get("type") == "array" or "anyOf" in schema:
            continue
        default = schema.pop("default", None)
        parameter["schema"] = {"anyOf": [schema, {"const": ""}]}
        if default is not None:
            parameter["schema"]["default"] = default


def openapi_document() -> dict[str, Any]:
    """The document for this site (its public address as the server), built once."""
    document: dict[str, Any] | None = current_app.extensions.get(EXTENSION_KEY)
    if document is None:
        document = build_document()
        document["servers"] = [{"url": site_url("/api/v1"),
                                "description": current_app.config["SITE_NAME"]}]
        current_app.extensions[EXTENSION_KEY] = document
    return document


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())


def init_app(app: Flask) -> None:
    """Nothing to set up: importing this module registers the endpoint on the API blueprint."""
    del app
