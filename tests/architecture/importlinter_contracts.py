"""A contract type for import-linter: features reach each other only through their entrances.

A feature is a package ``opengov.site.<feature>`` holding ``rules``, ``models``, ``service``,
``forms``, ``views`` and ``cli``. Another feature may import its ``service`` (and, being pure,
its ``rules``); its ``models`` only from ``models`` (relationships between tables) — never its
views, forms or commands. Modules of the core (``db``, ``web`` …) are not features.
"""

from __future__ import annotations

from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output


class FeatureBoundaryContract(Contract):
    """Options: ``container`` (the package holding the features), ``features`` (their names),
    ``entrances`` (submodules other features may import), ``shared_from`` (``models`` may be
    imported by other features' modules of these kinds)."""

    type_name = "feature_boundaries"

    container = fields.StringField()
    features = fields.ListField(subfield=fields.StringField())
    entrances = fields.ListField(subfield=fields.StringField())
    models_importers = fields.ListField(subfield=fields.StringField())

    def _split(self, module: str) -> tuple[str, str] | None:
        container: str = self.container  # type: ignore[assignment]
        prefix = container + "."
        if not module.startswith(prefix):
            return None
        parts = module[len(prefix):].split(".")
        if parts[0] not in self.features:  # type: ignore[operator]
            return None
        return parts[0], parts[1] if len(parts) > 1 else ""

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        entrances = set(self.entrances)  # type: ignore[arg-type]
        models_importers = set(self.models_importers)  # type: ignore[arg-type]
        violations: list[dict[str, Any]] = []
        for importer in sorted(graph.modules):
            source = self._split(importer)
            if source is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = self._split(imported)
                if target is None or target[0] == source[0]:
                    continue
                kind = target[1]
                allowed = kind in entrances or (kind == "models" and source[1] in models_importers)
                if not allowed:
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = ", ".join(str(d["line_number"]) for d in details)
                    violations.append({"importer": importer, "imported": imported,
                                       "lines": lines})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(
                f"{violation['importer']} imports {violation['imported']} "
                f"(l. {violation['lines']}): another feature is reached only through its "
                f"{', '.join(self.entrances)}.")  # type: ignore[arg-type]
            output.new_line()
