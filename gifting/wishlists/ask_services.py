"""Every write of "ask my friends about my list": asking, voting 👍/👎 on an item, commenting
on it, and deleting a comment.

The owner of a list friends may see (friends, link or public) asks them which gift to pick:
the list is marked asked (asked_at, once) and, through the outbox, each friend who may see it
is notified, once per list however often the owner presses "Ask" (a friend made since is told
on the next press). From then on anyone the audience rule lets see the list, except its owner,
votes on its items (one vote per person and item, changed or removed) and comments on them;
the owner is notified of each answer, shown as one line per list ("Ben and 2 others answered
about “Birthday”": Group.TARGET).
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gifting.wishlists.errors import WishlistError
from gifting.wishlists.models import ItemComment, ItemVote, Wishlist, WishlistItem
from shop.core.errors import DomainError
from shop.core.outbox import outbox_record
from shop.core.validators import text_clean
from social.graph.selectors import audience_allows, audience_decide, friends_of, without_blocked
from social.notifications.services import notification_notify

COMMENT_MAX_LENGTH = 500
NOTIFY_CHUNK = 200

# Notification kinds (registered in WishlistsConfig.ready(): ask_kinds.ask_kinds_register).
ASK_RECEIVED = "wishlist_ask"
ASK_ANSWERED = "wishlist_answered"
ASK_TOPIC = "wishlists.ask_notify"
TARGET_TYPE = "wishlists.wishlist"


def wishlist_friends_see(wishlist: Wishlist) -> bool:
    """Whether the owner's friends may see WISHLIST, by the audience rule (not private)."""
    return audience_decide(
        visibility=wishlist.visibility,
        is_owner=False,
        signed_in=True,
        blocked=False,
        is_friend=True,
    )


@transaction.atomic
def wishlist_ask(*, wishlist: Wishlist, now=None) -> bool:
    """Ask the owner's friends which gift of WISHLIST to pick: open it to votes and comments
    (asked_at, kept from the first time) and notify the friends who may see it, from Celery
    after commit (wishlist_ask_notify). Pressing again tells only the friends not told yet.
    Returns whether it is the first ask. Raises NOT_SHARED (field "visibility") for a list
    its owner's friends may not see."""
    if not wishlist_friends_see(wishlist):
        raise DomainError(
            "Only you see this list: share it with your friends first (who sees it: friends, "
            "link or public), then ask them.",
            code=WishlistError.NOT_SHARED,
            field="visibility",
        )
    first = Wishlist.objects.filter(pk=wishlist.pk, asked_at__isnull=True).update(
        asked_at=now or timezone.now()
    )
    wishlist.refresh_from_db(fields=["asked_at"])
    outbox_record(topic=ASK_TOPIC, payload={"wishlist_id": wishlist.pk})
    return bool(first)


def wishlist_ask_notify(*, wishlist_id: int, chunk: int = NOTIFY_CHUNK) -> int:
    """Notify the friends who may see the asked list WISHLIST_ID (active, not blocked either
    way) that its owner asks them, a chunk of friends at a time. Safe to run twice: each
    friend is told once per list (the notification's dedupe key). Returns how many were told
    now (none for a list no longer asked, gone, or private meanwhile)."""
    wishlist = (
        Wishlist.objects.select_related("owner")
        .filter(pk=wishlist_id, asked_at__isnull=False)
        .first()
    )
    if wishlist is None or not wishlist.owner.is_active or not wishlist_friends_see(wishlist):
        return 0
    owner = wishlist.owner
    people = without_blocked(friends_of(user=owner).filter(is_active=True), viewer=owner)
    url = reverse("wishlist_page", args=[wishlist.token])
    told, after = 0, 0
    while True:
        batch = list(people.filter(pk__gt=after).order_by("pk")[:chunk])
        if not batch:
            return told
        for person in batch:
            told += (
                notification_notify(
                    recipient=person,
                    kind=ASK_RECEIVED,
                    actor=owner,
                    target_type=TARGET_TYPE,
                    target_id=wishlist.pk,
                    url=url,
                    data={"title": wishlist.title},
                    dedupe_key=f"wishlist_ask:{wishlist.pk}",
                )
                is not None
            )
        after = batch[-1].pk


def _answerable(*, item: WishlistItem, person, link_opened: bool) -> WishlistItem:
    """ITEM (reloaded with its list and owner) if PERSON may answer about it: they may see the
    list (LINK_OPENED: through its link), do not own it, and its owner asked. Raises
    NOT_FOUND, OWN_LIST, NOT_ASKED."""
    found = WishlistItem.objects.select_related("wishlist__owner").filter(pk=item.pk).first()
    if found is None:
        raise DomainError("This wish is no longer on the list.", code=WishlistError.NOT_FOUND)
    wishlist = found.wishlist
    if wishlist.owner_id == person.pk:
        raise DomainError(
            "This is your own list: your friends give their opinion on it.",
            code=WishlistError.OWN_LIST,
        )
    if not audience_allows(
        viewer=person, owner=wishlist.owner, visibility=wishlist.visibility, link_opened=link_opened
    ):
        raise DomainError("This wish is no longer on the list.", code=WishlistError.NOT_FOUND)
    if wishlist.asked_at is None:
        raise DomainError(
            f"{wishlist.owner.public_name} has not asked for opinions on this list.",
            code=WishlistError.NOT_ASKED,
        )
    return found


def _answer_notify(*, item: WishlistItem, person, dedupe_key: str) -> None:
    wishlist = item.wishlist
    notification_notify(
        recipient=wishlist.owner,
        kind=ASK_ANSWERED,
        actor=person,
        target_type=TARGET_TYPE,
        target_id=wishlist.pk,
        url=reverse("wishlist_page", args=[wishlist.token]) + f"#wish-{item.pk}",
        data={"title": wishlist.title},
        dedupe_key=dedupe_key,
    )


def item_vote_set(*, item: WishlistItem, voter, up: bool, link_opened: bool = False) -> ItemVote:
    """VOTER votes 👍 (UP) or 👎 on ITEM, or changes their vote. The owner is notified once per
    item and voter (a changed vote says nothing more). Raises INVALID_VOTE (field "vote"),
    NOT_FOUND, OWN_LIST, NOT_ASKED."""
    if not isinstance(up, bool):
        raise DomainError("Vote 👍 or 👎.", code=WishlistError.INVALID_VOTE, field="vote")
    item = _answerable(item=item, person=voter, link_opened=link_opened)
    try:
        with transaction.atomic():
            vote = ItemVote.objects.create(item=item, voter=voter, up=up)
    except IntegrityError:
        # Voted before (or a twin request a moment ago): the unique constraint keeps one.
        votes = ItemVote.objects.filter(item_id=item.pk, voter_id=voter.pk)
        votes.exclude(up=up).update(up=up, updated_at=timezone.now())
        vote = votes.get()
    _answer_notify(item=item, person=voter, dedupe_key=f"wishlist_vote:{item.pk}:{voter.pk}")
    return vote


def item_vote_remove(*, item: WishlistItem, voter) -> bool:
    """Take back VOTER's vote on ITEM; return whether there was one."""
    return ItemVote.objects.filter(item_id=item.pk, voter_id=voter.pk).delete()[0] > 0


def item_comment_add(
    *, item: WishlistItem, author, text: str, link_opened: bool = False
) -> ItemComment:
    """AUTHOR comments TEXT on ITEM; the owner is notified. Raises INVALID_COMMENT (field
    "text": empty, longer than COMMENT_MAX_LENGTH, control characters), NOT_FOUND, OWN_LIST,
    NOT_ASKED."""
    text = text_clean(
        text,
        field="text",
        label="comment",
        max_length=COMMENT_MAX_LENGTH,
        code=WishlistError.INVALID_COMMENT,
    )
    item = _answerable(item=item, person=author, link_opened=link_opened)
    comment = ItemComment.objects.create(item=item, author=author, text=text)
    _answer_notify(item=item, person=author, dedupe_key=f"wishlist_comment:{comment.pk}")
    return comment


def item_comment_delete(*, comment: ItemComment, by) -> None:
    """Delete COMMENT: by its author, or by the owner of the list it is on. Raises NOT_YOURS."""
    owner_id = (
        Wishlist.objects.filter(items=comment.item_id).values_list("owner_id", flat=True).first()
    )
    if by is None or by.pk not in (comment.author_id, owner_id):
        raise DomainError(
            "Only its author or the list's owner can delete this comment.",
            code=WishlistError.NOT_YOURS,
        )
    comment.delete()


def answers_of_person_erase(*, user) -> None:
    """Delete USER's votes and comments on others' lists (their account is erased)."""
    ItemVote.objects.filter(voter_id=user.pk).delete()
    ItemComment.objects.filter(author_id=user.pk).delete()
