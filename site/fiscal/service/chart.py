"""Server-rendered SVG bar charts of the 三公经费: no JavaScript, readable by screen readers
(role="img" with a title and description; each segment has a <title>), always shown beside
the table it draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from opengov.site.fiscal.models import FiscalDisclosure, SangongReference
from opengov.site.fiscal.rules.disclosures import (
    ZERO,
    SangongFigures,
    SangongItem,
    format_amount,
)

#: Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
SERIES: tuple[tuple[str, str], ...] = (
    (str(SangongItem.OUTBOUND), "#0072B2"),
    (str(SangongItem.VEHICLE_PURCHASE), "#E69F00"),
    (str(SangongItem.VEHICLE_OPERATION), "#009E73"),
    ("公务用车购置及运行费（未分购置、运行）", "#56B4E9"),
    (str(SangongItem.RECEPTION), "#CC79A7"),
    ("合计中来源未列明分项的部分", "#BBBBBB"),
)
COLOURS = dict(SERIES)

WIDTH = 760
LABEL_WIDTH = 250
VALUE_WIDTH = 150
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
BAR_HEIGHT = 20
ROW_GAP = 10
LEGEND_COLUMNS = 2
LEGEND_ROW = 22


@dataclass
class Bar:
    label: str
    #: (series name, amount) in drawing order; missing figures are left out.
    parts: list[tuple[str, Decimal]]
    #: Printed at the end of the bar, e.g. "79.00万元".
    caption: str = ""
    #: This bar's unit when rows differ (real figures in 元, 万元 or 亿元).
    unit: str = ""

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.parts), ZERO)


#: The layout for a phone (320–414 px): labels above their bars, one legend column, drawn
#: 1:1 so that its text stays 13 px instead of shrinking with a 760-wide chart.
NARROW_WIDTH = 340
NARROW_VALUE_WIDTH = 96
NARROW_LABEL_ROW = 18


def stacked_bars(bars: Sequence[Bar], *, title: str, description: str,
                 share: bool = False, unit: str = "万元", ident: str = "chart",
                 narrow: bool = False) -> str:
    """Horizontal stacked bars. ``share`` draws each bar as 100% (composition), for rows in
    very different units or scales; otherwise lengths are proportional to amounts.
    ``narrow`` lays the same chart out for a phone (see :func:`responsive_chart`)."""
    drawn = [bar for bar in bars if bar.total > 0]
    used = {name for bar in drawn for name, _ in bar.parts}
    legend = [(name, colour) for name, colour in SERIES if name in used]
    columns = 1 if narrow else LEGEND_COLUMNS
    legend_height = LEGEND_ROW * ((len(legend) + columns - 1) // columns) + 12
    row_height = BAR_HEIGHT + ROW_GAP + (NARROW_LABEL_ROW if narrow else 0)
    height = legend_height + len(drawn) * row_height + 10
    chart_width = NARROW_WIDTH if narrow else WIDTH
    label_width = 0 if narrow else LABEL_WIDTH
    plot = NARROW_WIDTH - NARROW_VALUE_WIDTH if narrow else PLOT_WIDTH
    largest = max((bar.total for bar in drawn), default=ZERO)
    layout = "chart-narrow" if narrow else "chart-wide"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="fiscal-chart {layout}" role="img" '
           f'viewBox="0 0 {chart_width} {height}" width="100%" '
           f'aria-labelledby="{ident}-title {ident}-desc">',
           f'<title id="{ident}-title">{escape(title)}</title>',
           f'<desc id="{ident}-desc">{escape(description)}</desc>']
    for index, (name, colour) in enumerate(legend):
        row, column = divmod(index, columns)
        x = column * 380
        y = 6 + row * LEGEND_ROW
        out.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}"/>'
                   f'<text x="{x + 20}" y="{y + 12}" font-size="13">{escape(name)}</text>')
    for row_index, bar in enumerate(drawn):
        y = legend_height + row_index * row_height
        if narrow:
            out.append(f'<text x="0" y="{y + 13}" font-size="13">'
                       f'{escape(_shorten(bar.label, 24))}</text>')
            y += NARROW_LABEL_ROW
        else:
            out.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" font-size="13" '
                       f'text-anchor="end">{escape(_shorten(bar.label))}</text>')
        scale = Decimal(plot) / (bar.total if share else largest)
        x_pos = Decimal(label_width)
        for name, amount in bar.parts:
            if amount <= 0:
                continue
            width = amount * scale
            percent = (amount * 100 / bar.total).quantize(Decimal("0.1"))
            out.append(
                f'<rect x="{x_pos:.2f}" y="{y}" width="{max(width, Decimal("0.5")):.2f}" '
                f'height="{BAR_HEIGHT}" fill="{COLOURS[name]}">'
                f'<title>{escape(bar.label)} {escape(name)}：{format_amount(amount)}'
                f'{escape(bar.unit or unit)}'
                f'（占{percent}%）</title></rect>')
            x_pos += width
        caption = bar.caption or f"{format_amount(bar.total)}{bar.unit or unit}"
        end = label_width + plot + 6 if share else x_pos + 6
        out.append(f'<text x="{end:.2f}" y="{y + 15}" font-size="12">{escape(caption)}</text>')
    out.append("</svg>")
    return "".join(out)


def responsive_chart(bars: Sequence[Bar], *, title: str, description: str,
                     share: bool = False, unit: str = "万元", ident: str = "chart") -> str:
    """The chart drawn twice, for a wide and for a narrow screen; the style sheet shows the
    one that fits (``.chart-wide`` / ``.chart-narrow``), so a phone gets a chart redrawn for
    its width rather than the desktop one shrunk until its labels are unreadable. The hidden
    one is ``display: none``, so screen readers meet one chart."""
    wide = stacked_bars(bars, title=title, description=description, share=share, unit=unit,
                        ident=ident)
    if not wide.count("<rect"):
        return wide
    return wide + stacked_bars(bars, title=title, description=description, share=share,
                               unit=unit, ident=f"{ident}-narrow", narrow=True)


def _shorten(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def sangong_parts(outbound: Decimal | None, purchase: Decimal | None,
                  operation: Decimal | None, vehicle: Decimal | None,
                  reception: Decimal | None, *,
                  total: Decimal | None = None) -> list[tuple[str, Decimal]]:
    """The segments of one bar; a vehicle figure without its split is drawn as one piece.
    With a published ``total`` larger than the items given, the rest is its own grey
    segment, so a source that lists one item is not drawn as if that item were all."""
    parts: list[tuple[str, Decimal | None]] = [(SERIES[0][0], outbound)]
    if purchase is not None or operation is not None:
        parts += [(SERIES[1][0], purchase), (SERIES[2][0], operation)]
    else:
        parts.append((SERIES[3][0], vehicle))
    parts.append((SERIES[4][0], reception))
    known = [(name, amount) for name, amount in parts if amount is not None]
    rest = (total or ZERO) - sum((amount for _, amount in known), ZERO)
    if rest > 0:
        known.append((SERIES[5][0], rest))
    return known


# --- the charts of the pages, from saved disclosures and published figures ----------------


def _sangong_bar(label: str, figures: SangongFigures) -> Bar:
    return Bar(label, sangong_parts(
        figures.get(SangongItem.OUTBOUND), figures.get(SangongItem.VEHICLE_PURCHASE),
        figures.get(SangongItem.VEHICLE_OPERATION), None, figures.get(SangongItem.RECEPTION)))


def disclosure_chart(disclosure: FiscalDisclosure) -> str:
    """A disclosure's 三公经费 against last year's, or "" when it has no 三公 lines."""
    lines = {line.item: line for line in disclosure.sangong_lines}
    if not lines:
        return ""
    bars = [_sangong_bar(label, SangongFigures({item: (line.prior_amount if prior else line.amount)
                                                for item, line in lines.items()}))
            for label, prior in ((f"{disclosure.year - 1}年", True), (f"{disclosure.year}年", False))]
    return responsive_chart(bars, title=f"{disclosure.title}“三公”经费与上年对比",
                        description="按因公出国（境）费、公务用车购置费、公务用车运行（维护）费、"
                                    "公务接待费分段的横向条形图；数字见下方“三公”经费表。",
                        ident="sangong-chart")


def departments_chart(disclosures: Sequence[FiscalDisclosure]) -> str:
    """One bar per department, year and stage, lengths proportional to the amounts."""
    bars = [_sangong_bar(f"{d.agency.short_name or d.agency.name} {d.year}{d.stage}",
                         SangongFigures({line.item: line.amount for line in d.sangong_lines}))
            for d in disclosures if d.sangong_lines]
    return responsive_chart(bars, title="各部门“三公”经费（万元）",
                        description="每个部门每年一条横条，长度与金额成正比，按分项分段；数字见下表。",
                        ident="departments-chart")


def _reference_bar(ref: SangongReference) -> Bar:
    total = "—" if ref.total is None else f"{ref.total:f}"
    # Without a published total the shares are unknown: the bar is left out.
    parts = [] if ref.total is None else sangong_parts(
        ref.outbound, ref.vehicle_purchase, ref.vehicle_operation, ref.vehicle, ref.reception,
        total=ref.total)
    return Bar(f"{ref.entity} {ref.year}", parts, caption=f"合计{total}{ref.unit}",
               unit=str(ref.unit))


def references_chart(references: Sequence[SangongReference]) -> str:
    """The composition of each published figure, every bar drawn as 100%: the rows are in
    different units, so only the shares compare."""
    return responsive_chart(
        [_reference_bar(ref) for ref in references], share=True,
        title="公开发布的“三公”经费构成（各分项占合计的比例）",
        description="每个单位每年一条横条，按分项占合计的比例分段；各行计量单位不同，只比较构成，"
                    "金额见下表。来源没有给出合计的行不绘制；合计中来源未列明分项的部分以灰色表示。",
        ident="references-chart")
