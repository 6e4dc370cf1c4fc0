"""Downloads of a :class:`TableData`: CSV (UTF-8 with BOM so Excel opens it), XLSX, JSON.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) are prefixed with an apostrophe (OWASP "CSV injection"); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app

from opengov.site.exceptions import NotFoundError
from opengov.site.fiscal.service.tables import Cell, TableData

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_text(text: str) -> str:
    """Neutralise a text cell a spreadsheet would evaluate."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def number_text(value: Decimal) -> str:
    """A figure as every format prints it: amounts carry two decimals (万元 to the 分) and
    percentages one, as computed; the page, CSV and JSON show the same digits."""
    return f"{value:f}"


def _text_cell(value: Cell) -> str:
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, int):
        return str(value)
    return escape_text(value or "")


def to_csv(table: TableData) -> bytes:
    """Header row then data rows; figures as :func:`number_text` prints them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_text(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([_text_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: TableData) -> bytes:
    """Title, unit, header, rows, notes: the layout of the published tables, so the
    file re-imports. Amounts are numeric cells formatted 0.00."""
    # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
    # that never build a file (tests/architecture/test_worker_memory.py).
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "表"
    sheet.append([escape_text(table.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"单位：{table.unit}"])
    sheet.append([escape_text(column) for column in table.columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in table.rows:
        values: list[Any] = []
        for value in row:
            if isinstance(value, Decimal | int):
                values.append(value)
            else:
                values.append(escape_text(value or "") or None)
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = _number_format(cell.value)
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    for note in table.notes:
        sheet.append([escape_text(note)])
    for letter, width in zip("ABCDEFGHIJKLMNO", (14, 30), strict=False):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number_format(value: Decimal) -> str:
    """The cell shows the digits the page shows: 0.00 for amounts, 0.0 for rates."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def _json_cell(value: Cell) -> str | int | None:
    # Amounts as strings with two decimals: exact, unlike binary floats.
    if isinstance(value, Decimal):
        return number_text(value)
    return value


def to_json(table: TableData) -> dict[str, Any]:
    return {
        "title": table.title,
        "unit": table.unit,
        "columns": table.columns,
        "rows": [dict(zip(table.columns, (_json_cell(cell) for cell in row), strict=True))
                 for row in table.rows],
        "notes": table.notes,
    }


@dataclass(frozen=True)
class FileDownload:
    """A table as a file, ready to send."""

    content: bytes
    mimetype: str
    #: The Chinese name people see (RFC 6266 ``filename*``).
    filename: str
    #: An ASCII name for clients that do not read ``filename*``.
    fallback_filename: str


def render(table: TableData, fmt: str) -> FileDownload:
    """The table in ``fmt`` (csv, xlsx or json); :class:`NotFoundError` for another format."""
    if fmt not in FORMATS:
        raise NotFoundError("没有这种下载格式")
    if fmt == "json":
        content = current_app.json.dumps(to_json(table)).encode("utf-8")
    elif fmt == "csv":
        content = to_csv(table)
    else:
        content = to_xlsx(table)
    return FileDownload(content, FORMATS[fmt], f"{table.title}.{fmt}", f"{table.filename}.{fmt}")
