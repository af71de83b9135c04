"""The reputation section of every merchant page (shop.catalog.merchant_sections), filled on
each request: the public reputation (cached) and the viewer's friends who bought from the
merchant (one query for a signed-in viewer)."""

from django.template.loader import render_to_string

from reviews.reputation import selectors


def merchant_reputation_section(*, viewer, merchant_id: int) -> str:
    reputation = selectors.merchant_reputation(merchant_id=merchant_id)
    if reputation is None:
        return ""
    friends = selectors.merchant_buyer_friends(viewer=viewer, merchant_id=merchant_id)
    return render_to_string(
        "reputation/section.html", {"reputation": reputation, "friends": friends}
    )
