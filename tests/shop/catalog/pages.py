"""What the storefront's pages show, read as their tests read them (through tests.html): the
titles of a list's product cards, the content of a <meta> tag."""

from tests.html import Node, html


def card_titles(response) -> list[str]:
    return [link.text for link in html(response).all("a", cls="product-card__link")]


def meta(doc: Node, name: str) -> str:
    tags = doc.all("meta", property=name) or doc.all("meta", name=name)
    assert len(tags) == 1, f"expected one <meta> {name}"
    return tags[0].attrs["content"]
