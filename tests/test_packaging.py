"""Packaging: setup.cfg lists every package explicitly (design.md §2: `find:` gets the
opengov.site / opengov.indexer mapping wrong)."""

from __future__ import annotations

import configparser

from opengov.site.config import PROJECT_ROOT

ROOTS = {"site": "opengov.site", "indexer": "opengov.indexer"}


def test_every_package_is_listed_in_setup_cfg() -> None:
    config = configparser.ConfigParser()
    config.read(PROJECT_ROOT / "setup.cfg", encoding="utf-8")
    listed = set(config["options"]["packages"].split())
    found = set()
    for directory, package in ROOTS.items():
        for init in (PROJECT_ROOT / directory).rglob("__init__.py"):
            relative = init.parent.relative_to(PROJECT_ROOT / directory)
            found.add(".".join([package, *relative.parts]))
    assert found == listed
