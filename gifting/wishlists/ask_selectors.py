"""Reads of "ask my friends about my list": the votes and comments beside each item, as a
viewer who may see the list is shown them (the owner too: they are opinions, not claims).

- A vote or comment of someone blocked either way with the viewer is left out for that viewer
  (social.graph's without_blocked, as reviews and questions do), and so is one of an account
  that is gone; the counts are of the votes shown.
- Whose name shows is the audience rule's, as for claimers: a person is named to those who may
  see their profile, and is "Someone" to everyone else; the viewer's own is "You".

Constant queries whatever the number of items or answers: the votes, the comments, and the
people named (none for a list never asked).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from gifting.wishlists.models import ItemComment, ItemVote, Wishlist
from shop.core.validators import id_is_valid
from social.graph.selectors import audience_filter, viewer_signed_in, without_blocked

User = get_user_model()
UNNAMED = "Someone"


@dataclass(frozen=True)
class VoteShown:
    name: str
    up: bool
    mine: bool


@dataclass(frozen=True)
class CommentShown:
    comment_id: int
    name: str
    text: str
    created_at: datetime
    mine: bool
    may_delete: bool


@dataclass
class ItemAnswers:
    """The votes and comments on one item a viewer is shown, and their own vote."""

    item_id: int
    votes: list[VoteShown] = field(default_factory=list)
    comments: list[CommentShown] = field(default_factory=list)

    @property
    def up(self) -> int:
        return sum(1 for vote in self.votes if vote.up)

    @property
    def down(self) -> int:
        return sum(1 for vote in self.votes if not vote.up)

    @property
    def up_names(self) -> list[str]:
        return [vote.name for vote in self.votes if vote.up]

    @property
    def down_names(self) -> list[str]:
        return [vote.name for vote in self.votes if not vote.up]

    @property
    def my_vote(self) -> str | None:
        """ "up", "down", or None when the viewer has not voted."""
        mine = next((vote for vote in self.votes if vote.mine), None)
        if mine is None:
            return None
        return "up" if mine.up else "down"


def _visible(queryset: QuerySet, *, viewer, person_field: str) -> QuerySet:
    queryset = queryset.filter(**{f"{person_field}__is_active": True})
    return without_blocked(queryset, viewer=viewer, person_field=person_field)


def _named(*, viewer, person_ids: set[int]) -> set[int]:
    """The people of PERSON_IDS whose name VIEWER may read (their profile's audience)."""
    if not person_ids:
        return set()
    return set(
        audience_filter(
            User.objects.filter(pk__in=person_ids),
            viewer=viewer,
            owner_field="pk",
            visibility_field="privacy__profile",
        ).values_list("pk", flat=True)
    )


def item_answers_for(
    *, viewer, wishlist: Wishlist, item_ids: list[int] | None = None
) -> dict[int, ItemAnswers]:
    """The answers on WISHLIST's items (those of ITEM_IDS, else all) as VIEWER (who may see
    the list) is shown them, by item id. Three queries at most, none for a list never asked."""
    if wishlist.asked_at is None:
        return {}
    votes = ItemVote.objects.filter(item__wishlist_id=wishlist.pk)
    comments = ItemComment.objects.filter(item__wishlist_id=wishlist.pk)
    if item_ids is not None:
        votes, comments = votes.filter(item_id__in=item_ids), comments.filter(item_id__in=item_ids)
    votes = list(
        _visible(votes, viewer=viewer, person_field="voter")
        .order_by("created_at", "id")
        .values_list("item_id", "voter_id", "voter__display_name", "voter__username", "up")
    )
    comments = list(
        _visible(comments, viewer=viewer, person_field="author")
        .select_related("author")
        .order_by("created_at", "id")
    )
    viewer_id = viewer.pk if viewer_signed_in(viewer) else None
    is_owner = viewer_id == wishlist.owner_id
    named = _named(
        viewer=viewer,
        person_ids=({row[1] for row in votes} | {c.author_id for c in comments}) - {viewer_id},
    )

    def name(person_id: int, display_name: str, username: str) -> str:
        if person_id == viewer_id:
            return "You"
        return (display_name or username) if person_id in named else UNNAMED

    found: dict[int, ItemAnswers] = {}
    for item_id, voter_id, display_name, username, up in votes:
        found.setdefault(item_id, ItemAnswers(item_id=item_id)).votes.append(
            VoteShown(
                name=name(voter_id, display_name, username), up=up, mine=voter_id == viewer_id
            )
        )
    for comment in comments:
        mine = comment.author_id == viewer_id
        found.setdefault(comment.item_id, ItemAnswers(item_id=comment.item_id)).comments.append(
            CommentShown(
                comment_id=comment.pk,
                name=name(comment.author_id, comment.author.display_name, comment.author.username),
                text=comment.text,
                created_at=comment.created_at,
                mine=mine,
                may_delete=mine or is_owner,
            )
        )
    return found


def item_comment_get(*, comment_id, item_id: int | None = None) -> ItemComment:
    """Comment COMMENT_ID (of ITEM_ID when given), or Http404; the caller checks who may see
    its list and who may delete it."""
    try:
        comment_id = int(comment_id)
    except (TypeError, ValueError):
        raise Http404("No such comment.") from None
    found = None
    if id_is_valid(comment_id):
        found = ItemComment.objects.select_related("item__wishlist").filter(pk=comment_id)
        if item_id is not None:
            found = found.filter(item_id=item_id)
        found = found.first()
    if found is None:
        raise Http404("No such comment.")
    return found
