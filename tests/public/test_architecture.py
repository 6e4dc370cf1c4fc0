"""The public catalog's architecture: read-only routes, thin views, one definition of public."""

from __future__ import annotations

import ast
from pathlib import Path

from flask import Flask

from opengov.site.config import PROJECT_ROOT

#: The modules of this area; each reaches the database only through services.public_catalog.
VIEW_MODULES = (
    "site/views/public/pages.py",
    "site/views/public/documents.py",
    "site/views/public/feeds.py",
    "site/views/public/display.py",
    "site/views/api/documents.py",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_catalog_views_never_query_the_database_themselves() -> None:
    for module in VIEW_MODULES:
        imports = imported_modules(PROJECT_ROOT / module)
        assert not any(name.startswith("sqlalchemy") for name in imports), module
        assert not any(name.startswith(("whoosh", "elasticsearch")) for name in imports), module


def test_catalog_routes_are_read_only(app: Flask) -> None:
    modules = {module.removesuffix(".py").replace("/", ".").replace("site.", "opengov.site.", 1)
               for module in VIEW_MODULES}
    checked = 0
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if view.__module__ in modules:
            assert rule.methods is not None
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
            checked += 1
    assert checked >= 18
