"""The printable card of a pool's gift: a PDF made on the server (xhtml2pdf, pure Python) from
templates/pools/card.html, the very template the gift page shows its card with."""

from io import BytesIO

from django.template.loader import render_to_string

from shop.core.errors import DomainError


def pool_card_pdf(*, gift) -> bytes:
    """Render GIFT (selectors.PoolGiftShown) as a one-page A5 card, in PDF."""
    from xhtml2pdf import pisa

    html = render_to_string("pools/card_pdf.html", {"gift": gift})
    out = BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise DomainError("The card could not be made; please try again.", code="card_failed")
    return out.getvalue()
