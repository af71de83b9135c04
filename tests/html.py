"""Read a page as a person does: the visible text of elements found by tag, class or attribute."""

from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# Text on either side of these is read apart, even with no space in the markup.
BLOCK = {
    "article",
    "aside",
    "div",
    "dd",
    "dl",
    "dt",
    "fieldset",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "header",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "ul",
    "br",
}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def text(self) -> str:
        """The text a person (or a screen reader) gets: hidden elements and scripts left out."""
        return " ".join(self._raw_text().split())

    def _raw_text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in ("script", "style") and "hidden" not in child.attrs:
                text = child._raw_text()
                parts.append(f" {text} " if child.tag in BLOCK else text)
        return "".join(parts)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def all(self, tag: str | None = None, *, cls: str | None = None, **attrs) -> list["Node"]:
        found = []
        for child in self.children:
            if isinstance(child, str):
                continue
            if (
                (tag is None or child.tag == tag)
                and (cls is None or cls in child.classes)
                and all(child.attrs.get(_attr(name)) == value for name, value in attrs.items())
            ):
                found.append(child)
            found.extend(child.all(tag, cls=cls, **attrs))
        return found

    def one(self, tag: str | None = None, **kwargs) -> "Node":
        found = self.all(tag, **kwargs)
        assert len(found) == 1, f"expected one {tag} {kwargs}, found {len(found)}"
        return found[0]


def _attr(name: str) -> str:
    """for_ -> for, aria_label -> aria-label."""
    return name.rstrip("_").replace("_", "-")


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def html(response) -> Node:
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    return builder.root


def main_text(response) -> str:
    return html(response).one("main").text


def amount_shown(amount: str, text: str) -> bool:
    """Whether TEXT (a page, a JSON body) shows AMOUNT ("12.34", or 1234 in minor units) as
    an amount: not as a piece of a time ("20:30:25.005947Z" holds "25.00"), of a longer
    number or of a token, which a plain `in` would take for it by chance."""
    import re

    return re.search(rf"(?<![\w.:-]){re.escape(amount)}(?![\w.])", text) is not None
