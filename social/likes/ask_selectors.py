"""Reads of "ask my friends": who may see an ask, its answers, and the asks shown beside a
product (its page, the cart).

An ask and its answers are seen by its asker and by the friends it was put to, nobody else;
a block either way between the asker and a friend (even one made after the asking) hides the
ask from that friend and the friend's answer from the asker, in one query (the graph's
without_blocked). What each sees:

- the asker: the ask, the tally, and every answer (name, yes/no, comment) of a friend not
  blocked either way; who was asked;
- a friend asked: the ask (who asks, the product, the note, until when) and their own
  answer only: not the tally nor the other friends' answers (the other friends need not be
  their friends, and each answered the asker alone).

An ask whose closes_at has passed is closed here whether or not beat has marked it.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shop.core.compiled_reads import compiled_exists
from shop.core.cursors import TimeCursor, next_cursor, rows_after
from shop.core.validators import id_is_valid
from social.graph.selectors import without_blocked
from social.likes.models import Ask, AskAnswer, AskRecipient

PAGE_SIZE = 20


def asks_visible_to(*, viewer) -> QuerySet[Ask]:
    """The asks VIEWER may see: their own, and those put to them by someone not blocked
    either way (whose account is active). One query, no row per ask in Python."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return Ask.objects.none()
    put_to_viewer = Exists(AskRecipient.objects.filter(ask_id=OuterRef("pk"), user_id=viewer.pk))
    to_viewer = without_blocked(
        Ask.objects.filter(put_to_viewer, asker__is_active=True),
        viewer=viewer,
        person_field="asker",
    )
    return Ask.objects.filter(Q(asker_id=viewer.pk) | Q(pk__in=to_viewer.values("pk")))


def _answers_visible(*, viewer) -> QuerySet[AskAnswer]:
    """The answers VIEWER may read: the answers to their asks by friends they put them to
    (active, not blocked either way), and their own."""
    asked = Exists(
        AskRecipient.objects.filter(ask_id=OuterRef("ask_id"), user_id=OuterRef("friend_id"))
    )
    answers = AskAnswer.objects.filter(
        Q(asked, ask__asker_id=viewer.pk, friend__is_active=True) | Q(friend_id=viewer.pk)
    ).select_related("friend")
    return without_blocked(answers, viewer=viewer, person_field="friend").order_by(
        "created_at", "id"
    )


def _with_answers(queryset: QuerySet[Ask], *, viewer) -> QuerySet[Ask]:
    return queryset.select_related("asker", "product").prefetch_related(
        Prefetch("answers", queryset=_answers_visible(viewer=viewer), to_attr="visible_answers")
    )


@dataclass
class AskView:
    """An ask as VIEWER sees it: the tally and answers when they asked, their own answer
    when they were asked."""

    ask: Ask
    viewer_id: int
    answers: list[AskAnswer] = field(default_factory=list)
    recipients: list = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"ask-{self.ask.pk}"

    @property
    def is_asker(self) -> bool:
        return self.ask.asker_id == self.viewer_id

    @property
    def is_open(self) -> bool:
        return self.ask.is_open

    @property
    def status(self) -> str:
        if self.ask.closed_at is None and not self.is_open:
            return Ask.Closed.EXPIRED.label
        return self.ask.get_closed_reason_display()

    @property
    def my_answer(self) -> AskAnswer | None:
        for answer in self.answers:
            if answer.friend_id == self.viewer_id:
                return answer
        return None

    @property
    def tally(self) -> str:
        return tally_text(yes=self.ask.yes_count, no=self.ask.no_count)


def tally_text(*, yes: int, no: int) -> str:
    """ "2 say yes, 1 says no" (or "No answers yet")."""
    if not yes and not no:
        return "No answers yet"

    def part(count: int, word: str) -> str:
        return f"{count} say{'s' if count == 1 else ''} {word}"

    return f"{part(yes, 'yes')}, {part(no, 'no')}"


def _view(ask: Ask, *, viewer) -> AskView:
    answers = list(getattr(ask, "visible_answers", []))
    if ask.asker_id != viewer.pk:
        answers = [a for a in answers if a.friend_id == viewer.pk]
    return AskView(ask=ask, viewer_id=viewer.pk, answers=answers)


def ask_get_for_viewer(*, viewer, ask_id: int, with_recipients: bool = False) -> AskView:
    """Return ask ASK_ID as VIEWER sees it. Raises Http404 for anyone who is not its asker or
    a friend it was put to (not blocked either way). Three queries at most."""
    if not id_is_valid(ask_id):
        raise Http404("No such question.")
    queryset = _with_answers(asks_visible_to(viewer=viewer).filter(pk=ask_id), viewer=viewer)
    ask = queryset.first()
    if ask is None:
        raise Http404("No such question.")
    view = _view(ask, viewer=viewer)
    if with_recipients and view.is_asker:
        recipients = without_blocked(
            AskRecipient.objects.filter(ask_id=ask.pk, user__is_active=True),
            viewer=viewer,
            person_field="user",
        )
        view.recipients = [r.user for r in recipients.select_related("user").order_by("user_id")]
    return view


def ask_for_answering(*, viewer, ask_id: int) -> Ask:
    """Return ask ASK_ID for VIEWER to answer (with asker and product), or raise Http404 when
    VIEWER may not see it. Whether they were asked is the service's to say."""
    if not id_is_valid(ask_id):
        raise Http404("No such question.")
    ask = asks_visible_to(viewer=viewer).filter(pk=ask_id).select_related("asker", "product")
    found = ask.first()
    if found is None:
        raise Http404("No such question.")
    return found


def ask_list_for_viewer(
    *, viewer, cursor: TimeCursor | None = None, size: int | None = None
) -> tuple[list[AskView], str | None]:
    """VIEWER's asks and the asks put to them, newest first, after CURSOR; return (views,
    the encoded cursor of the next page or None). Two queries whatever the page's size."""
    size = max(1, min(size or PAGE_SIZE, 100))
    queryset = rows_after(asks_visible_to(viewer=viewer), cursor)
    asks = list(_with_answers(queryset, viewer=viewer).order_by("-created_at", "-id")[: size + 1])
    more = len(asks) > size
    asks = asks[:size]
    return [_view(ask, viewer=viewer) for ask in asks], next_cursor(asks, more=more)


def asks_by_ids_for_viewer(*, viewer, ask_ids: list[int]) -> dict[int, AskView]:
    """The asks of ASK_IDS that VIEWER may see, as they see them, by id. Two queries."""
    ask_ids = [pk for pk in ask_ids if id_is_valid(pk)]
    if not ask_ids:
        return {}
    asks = _with_answers(asks_visible_to(viewer=viewer).filter(pk__in=ask_ids), viewer=viewer)
    return {ask.pk: _view(ask, viewer=viewer) for ask in asks}


@dataclass
class ProductAsks:
    """The open asks about one product that matter to a viewer: their own (with its answers)
    and those their friends put to them."""

    mine: AskView | None = None
    to_me: list[AskView] = field(default_factory=list)


def _open_ask_about(*, viewer_id: int, product_id: int, now) -> QuerySet[Ask]:
    put_to_viewer = AskRecipient.objects.filter(user_id=viewer_id).values("ask_id")
    return Ask.objects.filter(
        Q(asker_id=viewer_id) | Q(pk__in=put_to_viewer),
        product_id=product_id,
        closed_at__isnull=True,
        closes_at__gt=now,
    )


def ask_open_about_exists(*, viewer, product_id: int) -> bool:
    """Whether an open ask about PRODUCT_ID is VIEWER's or was put to them: the product
    page's cheap first look (most viewers have none), one query on the asks' indexes, built
    once per connection. A yes may still be hidden by asks_for_products (a block, an
    inactive asker); a no is final."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return compiled_exists(
        name="likes.ask_open_about",
        model=Ask,
        build=_open_ask_about,
        values={"viewer_id": viewer.pk, "product_id": product_id, "now": timezone.now()},
    )


def asks_for_products(
    *, viewer, product_ids: list[int], mine_only: bool = False
) -> dict[int, ProductAsks]:
    """The open asks about PRODUCT_IDS that VIEWER made or was asked (MINE_ONLY: made), by
    product. Two queries whatever the number of products (none for no products)."""
    if not product_ids or viewer is None or not getattr(viewer, "is_authenticated", False):
        return {}
    now = timezone.now()
    queryset = asks_visible_to(viewer=viewer)
    if mine_only:
        queryset = Ask.objects.filter(asker_id=viewer.pk)
    queryset = queryset.filter(
        product_id__in=product_ids, closed_at__isnull=True, closes_at__gt=now
    )
    found: dict[int, ProductAsks] = {}
    for ask in _with_answers(queryset, viewer=viewer).order_by("-created_at", "-id"):
        entry = found.setdefault(ask.product_id, ProductAsks())
        view = _view(ask, viewer=viewer)
        if view.is_asker:
            entry.mine = entry.mine or view
        else:
            entry.to_me.append(view)
    return found


@dataclass
class FriendChoice:
    person: object
    asked: bool  # already asked about the product (an open ask of the viewer's)


def ask_friend_choices(*, viewer, product_id: int, limit: int = 500) -> list[FriendChoice]:
    """VIEWER's friends they may ask about PRODUCT_ID (not blocked either way, active), by
    name, each marked when their open ask about it was already put to them. One query."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce, Lower, NullIf

    from social.graph.selectors import friends_of

    asked = AskRecipient.objects.filter(
        user_id=OuterRef("pk"),
        ask__asker_id=viewer.pk,
        ask__product_id=product_id,
        ask__closed_at__isnull=True,
        ask__closes_at__gt=timezone.now(),
    )
    people = without_blocked(friends_of(user=viewer).filter(is_active=True), viewer=viewer)
    name = Lower(Coalesce(NullIf("display_name", Value("")), "username"))
    people = people.annotate(asked=Exists(asked)).order_by(name, "pk")
    return [FriendChoice(person=p, asked=p.asked) for p in people[:limit]]
