import re
from itertools import groupby

from django import template
from django.utils.html import format_html, format_html_join, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

register = template.Library()

_BLANK_LINES = re.compile(r"\n\s*\n")


def _line(text: str) -> SafeString:
    # urlize escapes the text (autoescape) and links web and email addresses.
    return mark_safe(urlize(text, nofollow=True, autoescape=True))


def _kind(line: str) -> str:
    if line.startswith("## "):
        return "heading"
    return "item" if line.startswith("- ") else "text"


@register.filter
def store_page_body(text: str) -> SafeString:
    """Render a store page's plain text: paragraphs, "## " headings, "- " lists, links.

    A blank line ends a paragraph; within one, a heading line, a run of list lines and a run
    of other lines each make their own element. Everything the operator typed is escaped:
    the markup comes from here only.
    """
    html: list[SafeString] = []
    for block in _BLANK_LINES.split(normalize_newlines(text or "").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        for kind, run in groupby(lines, key=_kind):
            run = list(run)
            if kind == "heading":
                html += [format_html("<h2>{}</h2>", line[3:].strip()) for line in run]
            elif kind == "item":
                items = format_html_join(
                    "", "<li>{}</li>", ((_line(line[2:].strip()),) for line in run)
                )
                html.append(format_html("<ul>{}</ul>", items))
            else:
                html.append(format_html("<p>{}</p>", mark_safe("<br>".join(map(_line, run)))))
    return mark_safe("\n".join(html))
