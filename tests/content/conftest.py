"""Paths and helpers for the content tests: the real ``content/`` and the seed files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
SEEDS = ROOT.parent / "shared" / "seeds"

POLICY = "2011-zhongbanfa-22-shenhua-zhengwu-gongkai"
INTERPRETATION = "2011-zhongbanfa-22-dajizhewen"
DEGRADED_COPY = "2011-gongkai-ying-gongxin-jiedu-zhi-er"
SERVICE = "zhengwu-fuwu-zhongxin-gongzuo-wenda"
SERVICE_COPY = "zhengwu-fuwu-zhongxin-gongzuo-wenda-001"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of ``content/`` for tests that edit files."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def document_file(directory: Path, key: str) -> Path:
    return directory / "documents" / f"{key}.md"
