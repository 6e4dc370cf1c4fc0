"""Redaction removes the text under the box: extracting the result's text (pypdf and
poppler's pdftotext) finds nothing of what was redacted, and everything else stays."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from opengov.site.redaction import (
    ID_NUMBER,
    MOBILE_NUMBER,
    Box,
    RedactionError,
    find_boxes,
    page_glyphs,
    page_sizes,
    redact_image,
    redact_pdf,
)
from tests.requests.released_pdf import (
    KEPT,
    SECRET_ID,
    SECRET_MOBILE,
    SECRET_NAME,
    released_pdf,
)


def _text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return "".join(text.replace("\x00", "").split())


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    return "".join(out.split())


def test_text_under_the_boxes_is_gone_not_covered(tmp_path: Path) -> None:
    original = released_pdf()
    assert SECRET_NAME in _text(original)
    boxes = find_boxes(original, [SECRET_NAME, "Wang Xiaoming"], [ID_NUMBER, MOBILE_NUMBER])
    result = redact_pdf(original, boxes)
    text = _text(result.content)
    for secret in (SECRET_NAME, SECRET_ID, SECRET_MOBILE, "Wang", "Xiaoming",
                   SECRET_ID[-6:], SECRET_MOBILE[-4:]):
        assert secret not in text
    assert KEPT in text
    assert "拨付金额：120万元" in text
    assert result.glyphs_removed >= len(SECRET_NAME + SECRET_ID + SECRET_MOBILE + "WangXiaoming")
    # Not a single glyph of the page sits under a box any more.
    for glyph in page_glyphs(result.content)[0]:
        assert all(box.overlap(glyph.box) < 0.3 * max(glyph.box.area(), 1e-9) for box in boxes)
    # Nor is the text hidden anywhere else in the file's objects.
    raw = result.content
    assert SECRET_NAME.encode("utf-16-be") not in raw
    if shutil.which("pdftotext"):
        seen = _pdftotext(result.content, tmp_path)
        assert SECRET_NAME not in seen
        assert SECRET_ID not in seen
        assert KEPT in seen


def test_an_area_in_millimetres_and_an_image_under_it() -> None:
    original = released_pdf()
    media = page_sizes(original)[0]
    # The image is drawn 20 mm from the left and 60 mm from the top, 50 mm wide.
    box = Box.from_millimetres(0, 25, 62, 20, 10, media)
    result = redact_pdf(original, [box])
    assert result.images_changed == 1
    reader = pypdf.PdfReader(io.BytesIO(result.content))
    [image] = reader.pages[0].images
    pixels = image.image.convert("RGB")
    # Black where the box lay over the image, the original colour elsewhere.
    assert pixels.getpixel((40, 30)) == (0, 0, 0)
    assert pixels.getpixel((190, 90)) != (0, 0, 0)


def test_what_repeats_the_text_outside_the_page_goes() -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(released_pdf())))
    writer.add_metadata({"/Title": SECRET_NAME, "/Author": SECRET_NAME})
    writer.add_outline_item(title=SECRET_NAME, page_number=0)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    result = redact_pdf(data, find_boxes(data, [SECRET_NAME]))
    reader = pypdf.PdfReader(io.BytesIO(result.content))
    assert not reader.outline
    assert SECRET_NAME not in str(reader.metadata or {})


def test_unreadable_and_encrypted_files_are_refused() -> None:
    with pytest.raises(RedactionError):
        redact_pdf(b"%PDF-1.4 not really", [Box(0, 0, 0, 10, 10)])
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(released_pdf())))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(RedactionError, match="加密"):
        redact_pdf(buffer.getvalue(), [Box(0, 0, 0, 10, 10)])


def test_images_are_painted_in_their_pixels() -> None:
    picture = Image.new("RGB", (100, 60), (255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    result = Image.open(io.BytesIO(redact_image(buffer.getvalue(), [(10, 10, 30, 20)])))
    assert result.getpixel((20, 20)) == (0, 0, 0)
    assert result.getpixel((5, 5)) == (255, 255, 255)
