"""The demo shopper's shares: a friend shared a product with them (a notification waiting,
and the private item in their feed), through the shares' own services, as the site does.

Idempotent: a share the friend already sent the shopper about that product is kept, and the
notification is said once per share (its dedupe key), so running the demo again adds nothing.
"""

from collections import Counter

from django.contrib.auth import get_user_model

from demo.community import community_spec
from shop.catalog.models import Product
from shop.catalog.selectors import product_list_by_ids
from social.graph.selectors import friends_of
from social.likes import share_services
from social.likes.models import Share

MESSAGE = "Saw this and thought of you: worth it for our next trip?"


def shares_build(*, created: Counter) -> None:
    """Record the friend's share with the demo shopper, if it is missing."""
    spec = community_spec()
    shopper = get_user_model().objects.filter(username=spec.shopper).first()
    if shopper is None:
        return
    friend = friends_of(user=shopper).order_by("username").first()
    product_pk = (
        Product.objects.filter(is_published=True)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if friend is None or product_pk is None:
        return
    product = product_list_by_ids(product_ids=[product_pk]).get(product_pk)
    sent = Share.objects.filter(
        sharer=friend, product=product, channel=Share.Channel.FRIENDS, recipients__user=shopper
    ).first()
    if sent is None:
        sent = share_services.share_create(
            sharer=friend,
            product=product,
            channel=Share.Channel.FRIENDS,
            recipient_ids=[shopper.pk],
            message=MESSAGE,
        )
        created["shares"] += 1
    # Said now (the outbox would say it after the build's transaction commits: once either way).
    share_services.share_recipients_notify(share_id=sent.pk)
