"""The wishlists' part of "download my data" and "delete my account" (registered in
WishlistsConfig.ready()).

Export: a person's lists with their items, and the claims they made on others' lists (not
the claims made on theirs: those are their friends' data, and a surprise), and the votes and
comments they gave when friends asked about their lists. Erasing deletes their lists (with
items and the claims, votes and comments on them), their claims on others' lists, which
frees the units they held, and their votes and comments.
"""

from gifting.wishlists.models import Claim, ItemComment, ItemVote, Wishlist


def wishlists_export(user) -> dict:
    """Return USER's lists, the claims they made and their votes and comments, oldest first."""
    lists = (
        Wishlist.objects.filter(owner_id=user.pk)
        .prefetch_related("items__variant__product")
        .order_by("created_at", "id")
    )
    claims = (
        Claim.objects.filter(claimer_id=user.pk)
        .select_related("item__variant__product", "item__wishlist")
        .order_by("reserved_at", "id")
    )
    return {
        "wishlists": [
            {
                "title": w.title,
                "occasion": w.occasion_on.isoformat() if w.occasion_on else None,
                "visibility": w.visibility,
                "items": [
                    {
                        "product": i.variant.product.title,
                        "variant": i.variant.name,
                        "wanted": i.quantity,
                        "note": i.note,
                        "priority": i.get_priority_display(),
                        "price_when_added": i.price_when_added,
                    }
                    for i in w.items.all()
                ],
            }
            for w in lists
        ],
        "claims": [
            {
                "product": c.item.variant.product.title,
                "list": c.item.wishlist.title,
                "quantity": c.quantity,
                "status": c.status,
                "at": c.reserved_at.isoformat(),
            }
            for c in claims
        ],
        "votes": [
            {
                "product": v.item.variant.product.title,
                "list": v.item.wishlist.title,
                "vote": "up" if v.up else "down",
                "at": v.updated_at.isoformat(),
            }
            for v in ItemVote.objects.filter(voter_id=user.pk)
            .select_related("item__variant__product", "item__wishlist")
            .order_by("created_at", "id")
        ],
        "comments": [
            {
                "product": c.item.variant.product.title,
                "list": c.item.wishlist.title,
                "text": c.text,
                "at": c.created_at.isoformat(),
            }
            for c in ItemComment.objects.filter(author_id=user.pk)
            .select_related("item__variant__product", "item__wishlist")
            .order_by("created_at", "id")
        ],
    }


def wishlists_erase(user) -> None:
    """Delete USER's lists; release their reservations on others' lists (the units are free
    again). What they bought stays taken (the gift is bought), under the emptied account."""
    from django.utils import timezone

    from gifting.wishlists.ask_services import answers_of_person_erase
    from gifting.wishlists.services import wishlist_delete

    Claim.objects.filter(claimer_id=user.pk, status=Claim.Status.RESERVED).update(
        status=Claim.Status.RELEASED,
        release_reason=Claim.ReleaseReason.CLAIMER,
        released_at=timezone.now(),
    )
    answers_of_person_erase(user=user)
    for wishlist in Wishlist.objects.filter(owner_id=user.pk):
        wishlist_delete(wishlist=wishlist)
