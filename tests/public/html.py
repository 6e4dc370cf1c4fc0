"""A small reading of an HTML page with the standard library, for page and accessibility tests."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class Page(HTMLParser):
    """Every element in document order, each with the text inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in {"meta", "link", "input", "br", "img", "hr", "col", "source"}:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for position in range(len(self._open) - 1, -1, -1):
            if self._open[position].tag == tag:
                del self._open[position:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    # --- queries ---------------------------------------------------------------------------

    def all(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag
                and all(e.attrs.get(name.rstrip("_")) == value for name, value in attrs.items())]

    def meta(self, name: str) -> str | None:
        found = self.all("meta", name=name)
        return found[0].attrs.get("content") if found else None

    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.elements if "id" in e.attrs}

    def texts(self, tag: str, **attrs: str) -> list[str]:
        return [" ".join(e.text.split()) for e in self.all(tag, **attrs)]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page
