"""The README documents what the code declares."""

from __future__ import annotations

from opengov.site.config import PROJECT_ROOT, settings_table

START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"


def test_readme_lists_every_setting() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    documented = readme.split(START)[1].split(END)[0].strip()
    assert documented == settings_table(), "run `opengov settings` and paste it into README.md"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test" in readme
    assert "scripts/test" in ci
