"""Server-rendered SVG bar charts of the government's revenue and expenditure: no JavaScript,
readable by screen readers (role="img" with a title and description, a <title> on every bar),
always shown above the table that holds the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from opengov.site.fiscal.rules.disclosures import ZERO, format_amount

#: Okabe–Ito blue and vermilion: distinguishable with the common colour-vision deficiencies
#: and at least 3:1 against white (WCAG 1.4.11 for graphics).
COLOURS = ("#0072B2", "#D55E00")
WIDTH = 760
LABEL_WIDTH = 230
VALUE_WIDTH = 170
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
BAR_HEIGHT = 18
ROW_GAP = 12
LEGEND_HEIGHT = 26


@dataclass(frozen=True)
class Bar:
    label: str
    #: One amount per series (None: no figure); series share the scale.
    amounts: tuple[Decimal | None, ...]
    #: Printed after the bar, e.g. "占 62.3%".
    caption: str = ""


def bar_chart(bars: Sequence[Bar], *, title: str, description: str,
              series: Sequence[str] = ("金额",), unit: str = "万元",
              ident: str = "chart") -> str:
    """Horizontal bars, one group per label, lengths proportional to the amounts; with two
    series (预算数 and 决算数, say) each group has two bars and a legend."""
    drawn = [bar for bar in bars if any((amount or ZERO) > 0 for amount in bar.amounts)]
    largest = max((amount or ZERO for bar in drawn for amount in bar.amounts), default=ZERO)
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    group = BAR_HEIGHT * len(series) + ROW_GAP
    height = legend + len(drawn) * group + 6
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="fiscal-chart" role="img" '
           f'viewBox="0 0 {WIDTH} {height}" width="100%" '
           f'aria-labelledby="{ident}-title {ident}-desc">',
           f'<title id="{ident}-title">{escape(title)}</title>',
           f'<desc id="{ident}-desc">{escape(description)}</desc>']
    if legend:
        for index, name in enumerate(series):
            x = LABEL_WIDTH + index * 180
            out.append(f'<rect x="{x}" y="4" width="14" height="14" '
                       f'fill="{COLOURS[index % len(COLOURS)]}"/>'
                       f'<text x="{x + 20}" y="16" font-size="13">{escape(name)}</text>')
    for row, bar in enumerate(drawn):
        top = legend + row * group
        out.append(f'<text x="{LABEL_WIDTH - 8}" y="{top + BAR_HEIGHT * len(series) / 2 + 5:.0f}" '
                   f'font-size="13" text-anchor="end">{escape(_shorten(bar.label))}</text>')
        end = Decimal(LABEL_WIDTH)
        for index, amount in enumerate(bar.amounts):
            y = top + index * BAR_HEIGHT
            if amount is None or amount <= 0 or largest <= 0:
                continue
            width = max(amount * PLOT_WIDTH / largest, Decimal("0.5"))
            name = f"{series[index]}：" if len(series) > 1 else ""
            out.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.2f}" '
                       f'height="{BAR_HEIGHT - 2}" fill="{COLOURS[index % len(COLOURS)]}">'
                       f'<title>{escape(bar.label)} {escape(name)}{format_amount(amount)}'
                       f'{escape(unit)}</title></rect>')
            end = max(end, LABEL_WIDTH + width)
        figures = "／".join(format_amount(amount) for amount in bar.amounts if amount is not None)
        caption = f"{figures}{unit}" + (f"，{bar.caption}" if bar.caption else "")
        out.append(f'<text x="{end + 6:.2f}" y="{top + BAR_HEIGHT * len(series) / 2 + 5:.0f}" '
                   f'font-size="12">{escape(caption)}</text>')
    out.append("</svg>")
    return "".join(out)


def _shorten(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
