"""True redaction of PDF files and images released to applicants (条例 Art. 37 区分处理).

A black box drawn over text hides nothing: the text is still in the file and any reader copies
it out. :func:`redact_pdf` therefore *removes* every glyph whose box lies under a redaction
box from the page's content stream (the glyphs after it keep their places: the removed ones
become kerning offsets), paints over the parts of images under the boxes in their pixels,
drops annotations there, and only then draws the black boxes. What else could carry the text
goes whole: outlines, form fields, the tagged-PDF structure with its alternative texts,
metadata, embedded files and scripts. Orphaned objects (the original content streams) are not
written. The result is checked again: no glyph may remain under a box.

Built on pypdf (BSD licence). Text positions follow ISO 32000-1 §9.4 (text objects) with the
glyph widths of the font's /Widths or /W; a page whose boxes cover a form XObject is refused
rather than redacted uncertainly (print it to PDF or scan it first).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MM = 72 / 25.4

#: A glyph is removed when at least this share of its box lies under a redaction box.
COVERED_SHARE = 0.3

#: Patterns a handler may ask to redact everywhere (personal data of third parties).
ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
                       r"(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])")
MOBILE_NUMBER = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


class RedactionError(ValueError):
    """The file cannot be redacted reliably; the message is for the handler."""


@dataclass(frozen=True)
class Box:
    """A rectangle on page ``page`` (0-based) in PDF user space (points, y upwards)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def from_millimetres(cls, page: int, left: float, top: float, width: float,
                         height: float, media: tuple[float, float, float, float]) -> Box:
        """A box given as people measure on paper: mm from the page's top-left corner."""
        x_min, _y_min, _x_max, y_max = media
        x0 = x_min + left * MM
        y1 = y_max - top * MM
        return cls(page, x0, y1 - height * MM, x0 + width * MM, y1)

    def area(self) -> float:
        return max(0.0, self.x1 - self.x0) * max(0.0, self.y1 - self.y0)

    def overlap(self, other: Box) -> float:
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        return width * height if width > 0 and height > 0 else 0.0


@dataclass(frozen=True)
class Glyph:
    text: str
    box: Box


@dataclass
class Redacted:
    """The redacted file with what was done to it."""

    content: bytes
    glyphs_removed: int = 0
    images_changed: int = 0
    boxes: list[Box] = field(default_factory=list)


# --- matrices -----------------------------------------------------------------------------


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _invert(m: Matrix) -> Matrix | None:
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def _bounds(m: Matrix, x0: float, y0: float, x1: float, y1: float, page: int) -> Box:
    points = [_apply(m, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Box(page, min(xs), min(ys), max(xs), max(ys))


# --- fonts --------------------------------------------------------------------------------


def _raw(value: Any) -> bytes:
    if isinstance(value, ByteStringObject):
        return bytes(value)
    if isinstance(value, TextStringObject):
        return bytes(value.original_bytes)
    if isinstance(value, bytes):
        return value
    return str(value).encode("latin-1", "replace")


_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _to_unicode_map(font: DictionaryObject) -> dict[bytes, str]:
    """The font's ToUnicode CMap as code → text (bfchar and bfrange entries)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    try:
        data = stream.get_object().get_data()
    except (PdfReadError, ValueError, AttributeError):
        return {}
    mapping: dict[bytes, str] = {}

    def text(hexcode: bytes) -> str:
        raw = bytes.fromhex(hexcode.decode("ascii"))
        return raw.decode("utf-16-be", "replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        codes = _HEX.findall(block)
        for source, target in zip(codes[::2], codes[1::2], strict=False):
            mapping[bytes.fromhex(source.decode("ascii"))] = text(target)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in re.findall(rb"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*(?:<[0-9A-Fa-f]+>|\[[^\]]*\])",
                               block):
            parts = _HEX.findall(line)
            low, high = int(parts[0], 16), int(parts[1], 16)
            size = len(parts[0]) // 2
            if b"[" in line:
                for offset, target in enumerate(parts[2:]):
                    mapping[(low + offset).to_bytes(size, "big")] = text(target)
            else:
                start = int(parts[2], 16)
                width = len(parts[2])
                for offset in range(min(high - low + 1, 65536)):
                    value = format(start + offset, f"0{width}X").encode("ascii")
                    mapping[(low + offset).to_bytes(size, "big")] = text(value)
    return mapping


def _cid_map(font: DictionaryObject) -> dict[int, int]:
    """Code → CID of an embedded encoding CMap (cidchar and cidrange); empty for the
    predefined Identity-H/V, where the code is the CID."""
    encoding = font.get("/Encoding")
    if encoding is None or isinstance(encoding.get_object(), NameObject):
        return {}
    try:
        data = encoding.get_object().get_data()
    except (PdfReadError, ValueError, AttributeError):
        return {}
    mapping: dict[int, int] = {}
    for block in re.findall(rb"begincidchar(.*?)endcidchar", data, re.S):
        for code, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s*(\d+)", block):
            mapping[int(code, 16)] = int(cid)
    for block in re.findall(rb"begincidrange(.*?)endcidrange", data, re.S):
        for low, high, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)", block):
            for offset in range(min(int(high, 16) - int(low, 16) + 1, 65536)):
                mapping[int(low, 16) + offset] = int(cid) + offset
    return mapping


@dataclass
class _Font:
    two_byte: bool
    widths: dict[int, float]
    default_width: float
    ascent: float
    descent: float
    unicode: dict[bytes, str]
    scale: float = 0.001
    cids: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, font: DictionaryObject | None) -> _Font:
        if font is None:
            return cls(False, {}, 500.0, 800.0, -200.0, {})
        subtype = font.get("/Subtype")
        widths: dict[int, float] = {}
        descriptor: Any = font.get("/FontDescriptor")
        scale = 0.001
        if subtype == "/Type0":
            descendants: Any = font["/DescendantFonts"].get_object()
            descendant: Any = descendants[0].get_object()
            descriptor = descendant.get("/FontDescriptor")
            default = float(descendant.get("/DW", 1000))
            w = descendant.get("/W")
            items = list(w.get_object()) if w is not None else []
            index = 0
            while index < len(items):
                first = int(items[index])
                second = items[index + 1].get_object()
                if isinstance(second, ArrayObject):
                    for offset, value in enumerate(second):
                        widths[first + offset] = float(value)
                    index += 2
                else:
                    for code in range(first, int(second) + 1):
                        widths[code] = float(items[index + 2])
                    index += 3
            two_byte = True
        else:
            first_char = int(font.get("/FirstChar", 0))
            for offset, value in enumerate(font.get("/Widths", []) or []):
                widths[first_char + offset] = float(value)
            default = 500.0
            two_byte = False
            if subtype == "/Type3" and "/FontMatrix" in font:
                matrix: Any = font["/FontMatrix"].get_object()
                scale = float(matrix[0])
        ascent, descent = 800.0, -200.0
        if descriptor is not None:
            descriptor = descriptor.get_object()
            ascent = float(descriptor.get("/Ascent", ascent)) or ascent
            descent = float(descriptor.get("/Descent", descent)) or descent
            if "/MissingWidth" in descriptor and subtype != "/Type0":
                default = float(descriptor["/MissingWidth"])
        return cls(two_byte, widths, default, ascent, descent, _to_unicode_map(font), scale,
                   _cid_map(font) if two_byte else {})

    def codes(self, data: bytes) -> list[bytes]:
        if self.two_byte:
            return [data[i:i + 2] for i in range(0, len(data) - 1, 2)]
        return [data[i:i + 1] for i in range(len(data))]

    def width(self, code: bytes) -> float:
        number = int.from_bytes(code, "big")
        number = self.cids.get(number, number)
        return self.widths.get(number, self.default_width) * self.scale

    def text(self, code: bytes) -> str:
        if code in self.unicode:
            return self.unicode[code]
        return "" if self.two_byte else code.decode("latin-1")


# --- walking a page ----------------------------------------------------------------------

_SHOW = {b"Tj", b"TJ", b"'", b'"'}


@dataclass
class _TextState:
    tm: Matrix = IDENTITY
    tlm: Matrix = IDENTITY
    font: _Font | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0


class _PageWalker:
    """Follows a page's content stream: where each glyph and image lands, and (when given
    boxes) the content stream with the covered glyphs taken out."""

    def __init__(self, page: Any, number: int, boxes: Sequence[Box]) -> None:
        self.page = page
        self.number = number
        self.boxes = [box for box in boxes if box.page == number]
        self.glyphs: list[Glyph] = []
        self.removed = 0
        #: (XObject name, CTM when drawn) of images under a box.
        self.images: list[tuple[str, Matrix]] = []
        resources = page.get("/Resources")
        self.resources = resources.get_object() if resources is not None else DictionaryObject()
        self._fonts: dict[str, _Font] = {}

    def _font(self, name: str) -> _Font:
        if name not in self._fonts:
            fonts = self.resources.get("/Font")
            font = fonts.get_object().get(name) if fonts is not None else None
            self._fonts[name] = _Font.of(font.get_object() if font is not None else None)
        return self._fonts[name]

    def _covered(self, box: Box) -> bool:
        area = box.area()
        if area <= 0:
            centre_x, centre_y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
            return any(b.x0 <= centre_x <= b.x1 and b.y0 <= centre_y <= b.y1
                       for b in self.boxes)
        return any(b.overlap(box) >= COVERED_SHARE * area for b in self.boxes)

    def walk(self) -> list[tuple[Any, bytes]]:
        contents = self.page.get_contents()
        if contents is None:
            return []
        operations = ContentStream(contents, self.page.pdf).operations
        out: list[tuple[Any, bytes]] = []
        ctm_stack: list[Matrix] = []
        ctm = IDENTITY
        text = _TextState()
        for operands, operator in operations:
            if operator == b"q":
                ctm_stack.append(ctm)
            elif operator == b"Q":
                ctm = ctm_stack.pop() if ctm_stack else IDENTITY
            elif operator == b"cm":
                ctm = _multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
            elif operator == b"BT":
                text.tm = text.tlm = IDENTITY
            elif operator == b"Tf":
                text.font, text.size = self._font(str(operands[0])), float(operands[1])
            elif operator == b"Tc":
                text.char_spacing = float(operands[0])
            elif operator == b"Tw":
                text.word_spacing = float(operands[0])
            elif operator == b"Tz":
                text.scale = float(operands[0]) / 100
            elif operator == b"TL":
                text.leading = float(operands[0])
            elif operator == b"Ts":
                text.rise = float(operands[0])
            elif operator in (b"Td", b"TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if operator == b"TD":
                    text.leading = -ty
                text.tlm = text.tm = _multiply((1, 0, 0, 1, tx, ty), text.tlm)
            elif operator == b"Tm":
                text.tlm = text.tm = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif operator == b"T*":
                text.tlm = text.tm = _multiply((1, 0, 0, 1, 0, -text.leading), text.tlm)
            elif operator in _SHOW:
                out.extend(self._show(operands, operator, text, ctm))
                continue
            elif operator == b"Do":
                self._draw_object(str(operands[0]), ctm)
            elif operator == b"INLINE IMAGE" and self.boxes:
                unit = _bounds(ctm, 0, 0, 1, 1, self.number)
                if any(box.overlap(unit) > 0 for box in self.boxes):
                    self.removed += 1  # an inline image under a box goes whole
                    continue
            elif operator in (b"BDC", b"BMC") and self.boxes:
                operands = [_without_alternate_text(operand) for operand in operands]
            out.append((operands, operator))
        return out

    def _draw_object(self, name: str, ctm: Matrix) -> None:
        if not self.boxes:
            return
        xobjects = self.resources.get("/XObject")
        target = xobjects.get_object().get(name) if xobjects is not None else None
        if target is None:
            return
        target = target.get_object()
        unit = _bounds(ctm, 0, 0, 1, 1, self.number)
        if target.get("/Subtype") == "/Image":
            if any(box.overlap(unit) > 0 for box in self.boxes):
                self.images.append((name, ctm))
            return
        if target.get("/Subtype") == "/Form":
            x0, y0, x1, y1 = (float(v) for v in list(target.get("/BBox", [0, 0, 0, 0]))[:4])
            a, b, c, d, e, f = (float(v) for v in list(target.get("/Matrix", IDENTITY))[:6])
            area = _bounds(_multiply((a, b, c, d, e, f), ctm), x0, y0, x1, y1, self.number)
            if any(box.overlap(area) > 0 for box in self.boxes):
                raise RedactionError(
                    f"第{self.number + 1}页的遮盖区域含有嵌套的表单对象，无法可靠地删除其中的文字；"
                    "请先将该文件“打印为PDF”或扫描后再上传。")

    def _show(self, operands: list[Any], operator: bytes, text: _TextState,
              ctm: Matrix) -> list[tuple[Any, bytes]]:
        prefix: list[tuple[Any, bytes]] = []
        if operator == b'"':
            text.word_spacing, text.char_spacing = float(operands[0]), float(operands[1])
            prefix = [([operands[0]], b"Tw"), ([operands[1]], b"Tc")]
            items: list[Any] = [operands[2]]
        elif operator == b"'" or operator == b"Tj":
            items = [operands[0]]
        else:
            items = list(operands[0])
        if operator in (b"'", b'"'):
            text.tlm = text.tm = _multiply((1, 0, 0, 1, 0, -text.leading), text.tlm)
            prefix.append(([], b"T*"))
        font = text.font or _Font.of(None)
        size, scale = text.size, text.scale
        rebuilt: list[Any] = []
        changed = False
        for item in items:
            if not isinstance(item, (ByteStringObject, TextStringObject, bytes, str)):
                offset = float(item)
                text.tm = _multiply((1, 0, 0, 1, -offset / 1000 * size * scale, 0), text.tm)
                rebuilt.append(item)
                continue
            kept = b""
            for code in font.codes(_raw(item)):
                width = font.width(code)
                render = _multiply(_multiply((size * scale, 0, 0, size, 0, text.rise), text.tm),
                                   ctm)
                box = _bounds(render, 0, font.descent / 1000, width, font.ascent / 1000,
                              self.number)
                advance = (width * size + text.char_spacing
                           + (text.word_spacing if code == b" " else 0.0)) * scale
                glyph = Glyph(font.text(code), box)
                if self.boxes and self._covered(box):
                    changed = True
                    self.removed += 1
                    if kept:
                        rebuilt.append(ByteStringObject(kept))
                        kept = b""
                    # The glyph goes; its advance stays, so what follows keeps its place.
                    rebuilt.append(FloatObject(-advance / (size * scale) * 1000
                                               if size * scale else 0))
                else:
                    kept += code
                    self.glyphs.append(glyph)
                text.tm = _multiply((1, 0, 0, 1, advance, 0), text.tm)
            if kept:
                rebuilt.append(ByteStringObject(kept))
        if not changed:
            return [(operands, operator)]
        return [*prefix, ([ArrayObject(rebuilt)], b"TJ")]


def _without_alternate_text(operand: Any) -> Any:
    """Marked-content properties without /ActualText, /Alt and /E (they repeat the text)."""
    if isinstance(operand, DictionaryObject):
        cleaned = DictionaryObject()
        for key, value in operand.items():
            if key not in ("/ActualText", "/Alt", "/E"):
                cleaned[NameObject(key)] = value
        return cleaned
    return operand


# --- the public functions -----------------------------------------------------------------


def _reader(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if not encrypted:
            len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise RedactionError("无法读取该 PDF 文件。") from exc
    if encrypted:
        raise RedactionError("PDF 文件已加密，请先解除加密再上传。")
    return reader


def page_sizes(data: bytes) -> list[tuple[float, float, float, float]]:
    """Each page's media box (x0, y0, x1, y1) in points."""
    return [tuple(float(v) for v in page.mediabox)  # type: ignore[misc]
            for page in _reader(data).pages]


def page_glyphs(data: bytes) -> list[list[Glyph]]:
    """The glyphs of every page in content order, with their boxes."""
    reader = _reader(data)
    result = []
    for number, page in enumerate(reader.pages):
        walker = _PageWalker(page, number, [])
        walker.walk()
        result.append(walker.glyphs)
    return result


def find_boxes(data: bytes, terms: Iterable[str] = (),
               patterns: Iterable[re.Pattern[str]] = ()) -> list[Box]:
    """Boxes over every occurrence of ``terms`` (whitespace ignored) and ``patterns``: one box
    per line of each match, so a match broken over two lines is covered on both and nothing
    between its two parts is."""
    wanted = [re.compile(r"\s*".join(re.escape(ch) for ch in term.strip()))
              for term in terms if term.strip()]
    wanted += list(patterns)
    boxes: list[Box] = []
    for glyphs in page_glyphs(data):
        text = ""
        owner: list[int] = []
        for index, glyph in enumerate(glyphs):
            text += glyph.text
            owner.extend([index] * len(glyph.text))
        for pattern in wanted:
            for match in pattern.finditer(text):
                line: Box | None = None
                for index in sorted(set(owner[match.start():match.end()])):
                    box = glyphs[index].box
                    # a little margin, so that the painted box hides the whole glyph
                    margin = max(0.5, (box.y1 - box.y0) * 0.05)
                    box = Box(box.page, box.x0 - margin, box.y0 - margin, box.x1 + margin,
                              box.y1 + margin)
                    if line is not None and _same_line(line, box):
                        line = Box(line.page, min(line.x0, box.x0), min(line.y0, box.y0),
                                   max(line.x1, box.x1), max(line.y1, box.y1))
                        continue
                    if line is not None:
                        boxes.append(line)
                    line = box
                if line is not None:
                    boxes.append(line)
    return boxes


def _same_line(line: Box, box: Box) -> bool:
    """Whether ``box`` continues ``line``: the same baseline, and next to it (a match that
    wraps starts a box of its own, so the box never spans text between)."""
    height = min(line.y1 - line.y0, box.y1 - box.y0)
    vertical = min(line.y1, box.y1) - max(line.y0, box.y0)
    return vertical > 0.8 * height and -height <= box.x0 - line.x1 <= 0.5 * height


def _paint_image(writer_page: Any, name: str, ctm: Matrix, boxes: Sequence[Box]) -> bool:
    inverse = _invert(ctm)
    if inverse is None:
        return False
    image_file = writer_page.images[name]
    picture: Image.Image = image_file.image
    if picture.mode not in ("RGB", "L", "CMYK"):
        picture = picture.convert("RGB")
    width, height = picture.size
    draw = ImageDraw.Draw(picture)
    for box in boxes:
        area = _bounds(inverse, box.x0, box.y0, box.x1, box.y1, box.page)
        left = max(0, math.floor(area.x0 * width))
        right = min(width, math.ceil(area.x1 * width))
        top = max(0, math.floor((1 - area.y1) * height))
        bottom = min(height, math.ceil((1 - area.y0) * height))
        if right > left and bottom > top:
            draw.rectangle((left, top, right - 1, bottom - 1), fill=0)
    image_file.replace(picture)
    return True


def _strip_document(writer: PdfWriter) -> None:
    """Remove what may repeat the text outside the pages' content."""
    root = writer._root_object
    for key in ("/Outlines", "/AcroForm", "/StructTreeRoot", "/Metadata", "/OpenAction",
                "/AA", "/PieceInfo", "/SpiderInfo"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in ("/EmbeddedFiles", "/JavaScript"):
            if key in names:
                del names[key]
    writer.metadata = None
    for page in writer.pages:
        for key in ("/PieceInfo", "/Metadata", "/StructParents"):
            if key in page:
                del page[key]


def redact_pdf(data: bytes, boxes: Sequence[Box], *,
               on_page: Callable[[int], None] | None = None) -> Redacted:
    """``data`` with everything under ``boxes`` removed and the boxes painted black."""
    reader = _reader(data)
    writer = PdfWriter(clone_from=reader)
    result = Redacted(b"", boxes=list(boxes))
    for number, page in enumerate(writer.pages):
        if on_page is not None:
            on_page(number)
        walker = _PageWalker(page, number, boxes)
        mine = walker.boxes
        if not mine:
            continue
        operations = walker.walk()
        for name, ctm in walker.images:
            result.images_changed += _paint_image(page, name, ctm, mine)
        result.glyphs_removed += walker.removed
        paint: list[tuple[Any, bytes]] = [([], b"q"), ([FloatObject(0)] * 3, b"rg")]
        for box in mine:
            paint.append(([FloatObject(box.x0), FloatObject(box.y0),
                           FloatObject(box.x1 - box.x0), FloatObject(box.y1 - box.y0)], b"re"))
        paint += [([], b"f"), ([], b"Q")]
        stream = ContentStream(None, writer)
        stream.operations = [([], b"q"), *operations, ([], b"Q"), *paint]
        page.replace_contents(stream)
        annotations = page.get("/Annots")
        if annotations is not None:
            kept = ArrayObject()
            for annotation in annotations.get_object():
                rect = [float(v) for v in annotation.get_object().get("/Rect", [0, 0, 0, 0])]
                area = Box(number, min(rect[0], rect[2]), min(rect[1], rect[3]),
                           max(rect[0], rect[2]), max(rect[1], rect[3]))
                if not any(box.overlap(area) > 0 for box in mine):
                    kept.append(annotation)
            page[NameObject("/Annots")] = kept
    _strip_document(writer)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    result.content = buffer.getvalue()
    _verify(result.content, boxes)
    return result


def _verify(data: bytes, boxes: Sequence[Box]) -> None:
    """Refuse a result that still has a glyph under a box (a font this module misread)."""
    for number, glyphs in enumerate(page_glyphs(data)):
        mine = [box for box in boxes if box.page == number]
        for glyph in glyphs:
            area = glyph.box.area()
            if area and any(box.overlap(glyph.box) >= COVERED_SHARE * area for box in mine):
                raise RedactionError(f"第{number + 1}页的遮盖未能删除全部文字，请将文件“打印为PDF”后重试。")


def redact_image(data: bytes, boxes: Sequence[tuple[float, float, float, float]]) -> bytes:
    """An image (PNG or JPEG) with the boxes (left, top, width, height in pixels) painted
    black in its pixels; metadata (EXIF) is not carried over."""
    try:
        picture: Image.Image = Image.open(io.BytesIO(data))
        picture.load()
    except (OSError, ValueError) as exc:
        raise RedactionError("无法读取该图片。") from exc
    fmt = picture.format or "PNG"
    if picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    draw = ImageDraw.Draw(picture)
    for left, top, width, height in boxes:
        draw.rectangle((left, top, left + width - 1, top + height - 1), fill=0)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG" if fmt == "JPEG" else "PNG")
    return buffer.getvalue()
