"""The SVG chart and the download formats, without the web layer."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from opengov.site.fiscal.service.chart import PLOT_WIDTH, SERIES, Bar, sangong_parts, stacked_bars
from opengov.site.fiscal.service.export import escape_text, to_csv, to_json, to_xlsx
from opengov.site.fiscal.service.tables import TableData

D = Decimal


def widths(svg: str, y: int) -> list[float]:
    return [float(w) for w in re.findall(rf'<rect x="[\d.]+" y="{y}" width="([\d.]+)"', svg)]


def test_bars_are_proportional_to_amounts() -> None:
    svg = stacked_bars([Bar("甲", [(SERIES[0][0], D("10")), (SERIES[4][0], D("30"))]),
                        Bar("乙", [(SERIES[0][0], D("20"))])], title="t", description="d")
    first_y, second_y = re.findall(r'<rect x="250.00" y="(\d+)"', svg)
    first, second = widths(svg, int(first_y)), widths(svg, int(second_y))
    assert sum(first) == pytest.approx(PLOT_WIDTH)  # the largest bar fills the plot
    assert first[0] * 3 == pytest.approx(first[1])
    assert second[0] == pytest.approx(PLOT_WIDTH / 2)
    assert "40.00万元" in svg


def test_share_mode_fills_every_bar() -> None:
    svg = stacked_bars([Bar("大", [(SERIES[0][0], D("796900"))], unit="亿元"),
                        Bar("小", [(SERIES[0][0], D("1")), (SERIES[4][0], D("3"))])],
                       title="t", description="d", share=True)
    for y in re.findall(r'<rect x="250.00" y="(\d+)"', svg):
        assert sum(widths(svg, int(y))) == pytest.approx(PLOT_WIDTH)
    assert "（占25.0%）" in svg
    assert "796900.00亿元" in svg


def test_empty_bars_are_left_out_and_text_is_escaped() -> None:
    svg = stacked_bars([Bar("<script>alert(1)</script>", [(SERIES[0][0], D("1"))]),
                        Bar("空", [])], title="<b>", description="&", ident="x")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "空" not in svg
    assert 'aria-labelledby="x-title x-desc"' in svg
    assert "<title id=\"x-title\">&lt;b&gt;</title>" in svg


def test_vehicle_without_split_is_one_segment() -> None:
    assert sangong_parts(D("1"), None, None, D("5"), D("2")) == [
        (SERIES[0][0], D("1")), (SERIES[3][0], D("5")), (SERIES[4][0], D("2"))]
    assert sangong_parts(None, D("0"), D("5"), D("5"), None) == [
        (SERIES[1][0], D("0")), (SERIES[2][0], D("5"))]


@pytest.mark.parametrize(("text", "escaped"), [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("行政运行", "行政运行"), ("", ""),
])
def test_escape_text(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


TABLE = TableData("表=题", ["项目", "年度", "金额"],
                  [["=cmd|' /C calc'!A0", 2025, D("-1.50")], ["合计", 2025, None]], "t",
                  notes=["说明"])


def test_csv_keeps_numbers_and_escapes_text() -> None:
    raw = to_csv(TABLE)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [["项目", "年度", "金额"], ["'=cmd|' /C calc'!A0", "2025", "-1.50"],
                    ["合计", "2025", ""]]


def test_xlsx_cells_are_typed_and_never_formulas() -> None:
    sheet = load_workbook(io.BytesIO(to_xlsx(TABLE))).active
    assert sheet is not None
    assert sheet["A1"].value == "表=题"
    assert sheet["A4"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A4"].data_type == "s"
    assert sheet["B4"].value == 2025
    assert sheet["C4"].value == pytest.approx(-1.5)
    assert sheet["C4"].number_format == "0.00"
    assert sheet["C5"].value is None
    assert sheet["A6"].value == "说明"


def test_json_amounts_are_exact_strings() -> None:
    assert to_json(TABLE)["rows"][0] == {"项目": "=cmd|' /C calc'!A0", "年度": 2025,
                                         "金额": "-1.50"}


def test_unlisted_part_of_a_published_total_is_its_own_segment() -> None:
    # 商务部 2011 决算: total 6083.70万元, only 因公出国（境）费 5761.07 given.
    parts = sangong_parts(D("5761.07"), None, None, None, None, total=D("6083.70"))
    assert parts == [(SERIES[0][0], D("5761.07")), (SERIES[5][0], D("322.63"))]
    svg = stacked_bars([Bar("商务部 2011", parts)], title="t", description="d", share=True)
    assert "（占94.7%）" in svg
    assert SERIES[5][0] in svg  # in the legend, since it is drawn
    assert SERIES[2][0] not in svg  # series not drawn stay out of the legend
