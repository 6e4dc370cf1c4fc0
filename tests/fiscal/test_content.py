"""``opengov import-fiscal``: the real 三公 figures and the 示例 disclosures in content/fiscal/."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from opengov.site.catalog.models import Document, SearchOutbox
from opengov.site.config import PROJECT_ROOT
from opengov.site.db import get_session
from opengov.site.fiscal.cli import import_fiscal_command
from opengov.site.fiscal.models import FiscalDisclosure, GovernmentReport, SangongReference
from opengov.site.fiscal.rules.disclosures import Stage, Unit

FISCAL_CONTENT = PROJECT_ROOT / "content" / "fiscal"
SHARED_TSV = PROJECT_ROOT.parent / "shared" / "corpus" / "sangong.tsv"


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model)) or 0


def test_shipped_content_imports_idempotently(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(import_fiscal_command)
    assert first.exit_code == 0, first.output
    assert "sangong_published.tsv：新增 28" in first.output
    assert "example.yaml：新增 4" in first.output
    assert "government.yaml：新增 7" in first.output
    assert "注意" not in first.output  # narratives agree with their figures
    queued = count(app, SearchOutbox)
    second = runner.invoke(import_fiscal_command)
    assert second.exit_code == 0, second.output
    assert "sangong_published.tsv：新增 0，更新 0，未变 28，删除 0" in second.output
    assert "example.yaml：新增 0，更新 0，未变 4，删除 0" in second.output
    assert "government.yaml：新增 0，更新 0，未变 7，删除 0" in second.output
    assert count(app, SearchOutbox) == queued  # nothing to re-index
    assert count(app, SangongReference) == 28
    assert count(app, FiscalDisclosure) == 4
    assert count(app, GovernmentReport) == 7
    assert count(app, Document) == 4 + 7
    with app.app_context():
        session = get_session()
        central = session.scalars(select(SangongReference).where(
            SangongReference.entity == "中央本级", SangongReference.year == 2013)).one()
        assert central.unit is Unit.YI  # kept in the unit of the source
        assert central.total == Decimal("79.69")
        assert central.source_url == "http://xmwb.xinmin.cn/xmwb/html/2013-04/18/content_1_2.htm"
        yuan = session.scalars(select(SangongReference).where(
            SangongReference.entity == "岳阳县台创园")).one()
        assert yuan.unit is Unit.YUAN
        assert yuan.total == Decimal("250000.00")
        final = session.scalars(select(SangongReference).where(
            SangongReference.entity == "上海市嘉定区司法局")).one()
        assert final.stage is Stage.FINAL
        assert all(d.is_example for d in session.scalars(select(FiscalDisclosure)))


def test_shipped_tsv_is_the_shared_corpus_file() -> None:
    if SHARED_TSV.is_file():
        assert (FISCAL_CONTENT / "sangong_published.tsv").read_bytes() == SHARED_TSV.read_bytes()


def test_rows_removed_from_the_file_are_deleted(app: Flask, runner: FlaskCliRunner,
                                                tmp_path: Path) -> None:
    assert runner.invoke(import_fiscal_command).exit_code == 0
    lines = (FISCAL_CONTENT / "sangong_published.tsv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "sangong_published.tsv").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    result = runner.invoke(import_fiscal_command, [str(tmp_path)])
    assert "新增 0，更新 0，未变 2，删除 26" in result.output
    assert count(app, SangongReference) == 2


def test_bad_unit_is_refused(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    text = (FISCAL_CONTENT / "sangong_published.tsv").read_text(encoding="utf-8")
    (tmp_path / "sangong_published.tsv").write_text(text.replace("\t亿元\t", "\t千元\t", 1),
                                                     encoding="utf-8")
    result = runner.invoke(import_fiscal_command, [str(tmp_path)])
    assert result.exit_code == 1
    assert "sangong_published.tsv 第2行：计量单位应为元、万元或亿元" in result.output
    assert count(app, SangongReference) == 0


def test_inconsistent_source_rows_are_reported(runner: FlaskCliRunner, tmp_path: Path) -> None:
    text = (FISCAL_CONTENT / "sangong_published.tsv").read_text(encoding="utf-8")
    (tmp_path / "sangong_published.tsv").write_text(
        text.replace("\t79.69\t21.36\t", "\t79.70\t21.36\t"), encoding="utf-8")
    result = runner.invoke(import_fiscal_command, [str(tmp_path)])
    assert result.exit_code == 0
    assert "注意：中央本级 2013：来源数据合计79.70不等于各项之和79.69" in result.output


def test_example_that_does_not_add_up_is_refused(app: Flask, runner: FlaskCliRunner,
                                                 tmp_path: Path) -> None:
    text = (FISCAL_CONTENT / "example.yaml").read_text(encoding="utf-8")
    broken = text.replace('["2010601", "行政运行", "1286.40", "1286.40", null]',
                          '["2010601", "行政运行", "1286.50", "1286.50", null]', 1)
    assert broken != text
    (tmp_path / "example.yaml").write_text(broken, encoding="utf-8")
    result = runner.invoke(import_fiscal_command, [str(tmp_path)])
    assert result.exit_code == 1
    assert "其下各项之和为" in result.output
    assert count(app, FiscalDisclosure) == 0


def test_narrative_figures_are_checked(runner: FlaskCliRunner, tmp_path: Path) -> None:
    text = (FISCAL_CONTENT / "example.yaml").read_text(encoding="utf-8")
    shutil.copy(FISCAL_CONTENT / "sangong_published.tsv", tmp_path)
    (tmp_path / "example.yaml").write_text(text.replace("比上年减少0.60万元", "比上年减少0.70万元"),
                                           encoding="utf-8")
    result = runner.invoke(import_fiscal_command, [str(tmp_path)])
    assert result.exit_code == 0
    assert "说明称减少0.70万元，按数据应为比上年减少0.60万元" in result.output


def test_missing_folder(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(import_fiscal_command, [str(tmp_path / "none")])
    assert result.exit_code != 0
