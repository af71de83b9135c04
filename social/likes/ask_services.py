"""Every write of "ask my friends": asking, answering, withdrawing, closing on purchase and
on expiry.

An ask is put to chosen friends (or all of them: one AskRecipient row per friend either
way), only ever to friends and never to anyone blocked either way. A person has at most one
open ask per product (a partial unique constraint); asking again adds the friends not yet
asked. Each friend answers once (yes or no, with an optional comment) and may change their
answer while the ask is open. The tally (Ask.yes_count / no_count) moves by conditional
UPDATEs in the answer's own transaction: a first answer adds one, a changed answer moves one
from a count to the other, so the tally is exact under concurrent answers.

An ask closes when its asker withdraws it, when they buy the product (the shop's order_paid
event), or 7 days after it opened (beat: asks_expire; reads also treat closes_at < now as
closed, so an ask is closed on time whether or not beat has run).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from shop.core.errors import DomainError
from shop.core.visibility import Visibility
from social.feed.models import Activity
from social.feed.services import activity_record, product_snapshot
from social.graph.selectors import friends_of, without_blocked
from social.likes.models import Ask, AskAnswer, AskRecipient
from social.notifications.services import notification_notify

ASK_OPEN_DAYS = 7
NOTE_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 500
FRIENDS_MAX = 500

# Notification kinds (registered in LikesConfig.ready(): ask_kinds_register).
ASK_RECEIVED = "ask_received"
ASK_ANSWERED = "ask_answered"


class AskError(StrEnum):
    PRODUCT_NOT_FOUND = "product_not_found"
    NO_FRIENDS_CHOSEN = "no_friends_chosen"
    NOT_A_FRIEND = "not_a_friend"
    ALREADY_ASKED = "already_asked"
    TOO_LONG = "too_long"
    INVALID_ANSWER = "invalid_answer"
    NOT_ASKED = "not_asked"
    CLOSED = "closed"
    NOT_YOURS = "not_yours"


@dataclass
class AskPut:
    """What ask_create did: the (new or already open) ask, the friends just asked, and
    whether the ask is new."""

    ask: Ask
    asked: list = field(default_factory=list)
    created: bool = True


def _text(value: str, *, name: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(f"Keep it under {limit} characters.", code=AskError.TOO_LONG, field=name)
    return value


def _open_q(now=None) -> Q:
    return Q(closed_at__isnull=True, closes_at__gt=now or timezone.now())


def _friends_to_ask(*, asker, friends, all_friends: bool) -> list:
    """The people ASKER may ask: every friend (ALL_FRIENDS) or those of FRIENDS (users) who
    are friends; nobody blocked either way. Raises NOT_A_FRIEND or NO_FRIENDS_CHOSEN."""
    mine = without_blocked(friends_of(user=asker).filter(is_active=True), viewer=asker)
    if all_friends:
        chosen = list(mine.order_by("pk")[:FRIENDS_MAX])
        if not chosen:
            raise DomainError(
                "You have no friends to ask yet.", code=AskError.NO_FRIENDS_CHOSEN, field="friends"
            )
        return chosen
    wanted = {person.pk: person for person in friends or []}
    if not wanted:
        raise DomainError(
            "Choose at least one friend to ask, or all your friends.",
            code=AskError.NO_FRIENDS_CHOSEN,
            field="friends",
        )
    if len(wanted) > FRIENDS_MAX:
        raise DomainError(
            f"Ask at most {FRIENDS_MAX} friends at once.", code=AskError.TOO_LONG, field="friends"
        )
    allowed = set(mine.filter(pk__in=wanted).values_list("pk", flat=True))
    refused = [wanted[pk] for pk in wanted if pk not in allowed]
    if refused:
        raise DomainError(
            f"You can only ask your friends ({refused[0].public_name} is not one).",
            code=AskError.NOT_A_FRIEND,
            field="friends",
        )
    return [wanted[pk] for pk in sorted(wanted)]


def _snapshot(ask: Ask, product) -> dict:
    snapshot = product_snapshot(product, price=product.price_min, currency=settings.STORE_CURRENCY)
    snapshot["ask_id"] = ask.pk
    snapshot["closes_at"] = ask.closes_at.isoformat()
    if ask.note:
        snapshot["note"] = ask.note
    return snapshot


@transaction.atomic
def ask_create(
    *, asker, product, friends=None, all_friends: bool = False, note: str = ""
) -> AskPut:
    """ASKER asks FRIENDS (users), or all their friends, "Should I buy PRODUCT?" with NOTE.

    PRODUCT is a published product loaded by shop.catalog.selectors.product_list_by_ids
    (its price_min and images make the feed's snapshot). When ASKER already has an open ask
    about PRODUCT, the friends not yet asked are added to it (created=False); when every one
    of them was already asked, raises ALREADY_ASKED. Each friend asked gets a notification
    and a private feed item. Raises NO_FRIENDS_CHOSEN, NOT_A_FRIEND, TOO_LONG (field named).
    """
    note = _text(note, name="note", limit=NOTE_MAX_LENGTH)
    chosen = _friends_to_ask(asker=asker, friends=friends, all_friends=all_friends)
    now = timezone.now()
    # Close what has run out first, so the one-open-ask constraint counts only live asks.
    Ask.objects.filter(asker_id=asker.pk, product_id=product.pk, closed_at__isnull=True).filter(
        closes_at__lte=now
    ).update(closed_reason=Ask.Closed.EXPIRED, closed_at=F("closes_at"))
    ask = (
        Ask.objects.select_for_update()
        .filter(asker_id=asker.pk, product_id=product.pk, closed_at__isnull=True)
        .first()
    )
    created = ask is None
    if created:
        try:
            with transaction.atomic():
                ask = Ask.objects.create(
                    asker=asker,
                    product=product,
                    note=note,
                    all_friends=all_friends,
                    created_at=now,
                    closes_at=now + timedelta(days=ASK_OPEN_DAYS),
                )
        except IntegrityError:
            # A twin request opened it a moment ago: add to that one.
            created = False
            ask = Ask.objects.select_for_update().get(
                asker_id=asker.pk, product_id=product.pk, closed_at__isnull=True
            )
    already = set(ask.recipients.values_list("user_id", flat=True)) if not created else set()
    new = [person for person in chosen if person.pk not in already]
    if not new:
        raise DomainError(
            f"You already asked {'them' if len(chosen) > 1 else chosen[0].public_name} about "
            f"{product.title}; their answers show on the product page.",
            code=AskError.ALREADY_ASKED,
            field="friends",
        )
    if not created:
        changes = {}
        if all_friends and not ask.all_friends:
            changes["all_friends"] = True
        if note and not ask.note:
            changes["note"] = note
        if changes:
            Ask.objects.filter(pk=ask.pk).update(**changes)
            for name, value in changes.items():
                setattr(ask, name, value)
    AskRecipient.objects.bulk_create(
        [AskRecipient(ask=ask, user=person) for person in new], ignore_conflicts=True
    )
    activity_record(
        verb=Activity.Verb.ASK,
        actor=asker,
        product=product,
        snapshot=_snapshot(ask, product),
        visibility=Visibility.PRIVATE,
        recipients=[person.pk for person in new],
        # One feed item per batch of friends asked (asking more friends later adds theirs).
        dedupe_key=f"ask:{ask.pk}:{min(person.pk for person in new)}:{len(already)}",
    )
    url = reverse("ask_detail", args=[ask.pk])
    for person in new:
        notification_notify(
            recipient=person,
            kind=ASK_RECEIVED,
            actor=asker,
            target_type="likes.ask",
            target_id=ask.pk,
            url=url,
            data={"product": product.title},
            dedupe_key=f"ask_received:{ask.pk}:{person.pk}",
        )
    return AskPut(ask=ask, asked=new, created=created)


@transaction.atomic
def ask_answer(*, ask: Ask, friend, yes: bool, comment: str = "") -> AskAnswer:
    """FRIEND answers ASK: YES (True) or no, with COMMENT; changes their answer if they had one.

    Only a friend the ask was put to (and not blocked either way since) may answer, only while
    it is open. The tally moves in this transaction: +1 for a first answer, one from a count
    to the other for a changed one, nothing for the same answer again. Raises NOT_ASKED,
    CLOSED (non-field), TOO_LONG (comment), INVALID_ANSWER (answer). The asker is notified.
    """
    if not isinstance(yes, bool):
        raise DomainError("Answer yes or no.", code=AskError.INVALID_ANSWER, field="answer")
    comment = _text(comment, name="comment", limit=COMMENT_MAX_LENGTH)
    asked = without_blocked(
        AskRecipient.objects.filter(ask_id=ask.pk, user_id=friend.pk),
        viewer=friend,
        person_field="ask__asker",
    ).exists()
    if not asked:
        raise DomainError("This question was not put to you.", code=AskError.NOT_ASKED)
    now = timezone.now()
    yes_delta = no_delta = 0
    answer = None
    try:
        with transaction.atomic():
            answer = AskAnswer.objects.create(ask=ask, friend=friend, yes=yes, comment=comment)
        if yes:
            yes_delta = 1
        else:
            no_delta = 1
    except IntegrityError:
        # Answered before (or a twin request answered a moment ago): change it. The
        # conditional UPDATE says whether the answer itself changed.
        answers = AskAnswer.objects.filter(ask_id=ask.pk, friend_id=friend.pk)
        changed = answers.filter(yes=not yes).update(yes=yes, comment=comment, updated_at=now)
        if changed:
            yes_delta, no_delta = (1, -1) if yes else (-1, 1)
        else:
            answers.update(comment=comment, updated_at=now)
        answer = answers.get()
    if yes_delta or no_delta:
        # The tally, conditional on the ask being open (and on a count never going below 0):
        # an ask that closed meanwhile takes no answer.
        counted = (
            Ask.objects.filter(pk=ask.pk)
            .filter(_open_q(now))
            .filter(**({"no_count__gte": 1} if no_delta < 0 else {}))
            .filter(**({"yes_count__gte": 1} if yes_delta < 0 else {}))
            .update(yes_count=F("yes_count") + yes_delta, no_count=F("no_count") + no_delta)
        )
    else:
        counted = Ask.objects.filter(pk=ask.pk).filter(_open_q(now)).exists()
    if not counted:
        raise DomainError(
            "This question is closed: answers are no longer taken.", code=AskError.CLOSED
        )
    notification_notify(
        recipient=ask.asker,
        kind=ASK_ANSWERED,
        actor=friend,
        target_type="likes.ask",
        target_id=ask.pk,
        url=reverse("ask_detail", args=[ask.pk]),
        data={"product": ask.product.title, "answer": "Yes" if yes else "No"},
        dedupe_key=f"ask_answered:{answer.pk}:{'yes' if yes else 'no'}",
    )
    return answer


def ask_close(*, ask: Ask, user) -> Ask:
    """USER (its asker) withdraws ASK. Raises NOT_YOURS, or CLOSED when it was closed already."""
    if ask.asker_id != user.pk:
        raise DomainError(
            "Only the person who asked can close this question.", code=AskError.NOT_YOURS
        )
    now = timezone.now()
    closed = (
        Ask.objects.filter(pk=ask.pk)
        .filter(_open_q(now))
        .update(closed_reason=Ask.Closed.WITHDRAWN, closed_at=now)
    )
    if not closed:
        raise DomainError("This question is already closed.", code=AskError.CLOSED)
    ask.closed_reason, ask.closed_at = Ask.Closed.WITHDRAWN, now
    return ask


def asks_close_bought(*, buyer_id: int, variant_ids: list[int]) -> int:
    """Close BUYER_ID's open asks about the products of VARIANT_IDS: they bought it.
    Safe to run twice (only open asks change). Returns how many closed."""
    if not variant_ids:
        return 0
    now = timezone.now()
    return (
        Ask.objects.filter(_open_q(now), asker_id=buyer_id, product__variants__in=variant_ids)
        .distinct()
        .update(closed_reason=Ask.Closed.BOUGHT, closed_at=now)
    )


def asks_expire(*, now=None) -> int:
    """Close the open asks whose 7 days are over (beat). Safe to run twice: a second run finds
    none. Returns how many closed."""
    now = now or timezone.now()
    return Ask.objects.filter(closed_at__isnull=True, closes_at__lte=now).update(
        closed_reason=Ask.Closed.EXPIRED, closed_at=F("closes_at")
    )


@transaction.atomic
def asks_between_forget(*, first_id: int, second_id: int) -> int:
    """A block between FIRST_ID and SECOND_ID: each one's asks lose the other as a recipient,
    and the other's answer leaves the tally (conditional UPDATEs). Returns answers removed."""
    removed = 0
    for asker_id, friend_id in ((first_id, second_id), (second_id, first_id)):
        answers = list(
            AskAnswer.objects.select_for_update()
            .filter(ask__asker_id=asker_id, friend_id=friend_id)
            .values_list("pk", "ask_id", "yes")
        )
        for pk, ask_id, yes in answers:
            if AskAnswer.objects.filter(pk=pk).delete()[0]:
                _count_remove(ask_id=ask_id, yes=yes)
                removed += 1
        AskRecipient.objects.filter(ask__asker_id=asker_id, user_id=friend_id).delete()
    return removed


def _count_remove(*, ask_id: int, yes: bool) -> None:
    if yes:
        Ask.objects.filter(pk=ask_id, yes_count__gte=1).update(yes_count=F("yes_count") - 1)
    else:
        Ask.objects.filter(pk=ask_id, no_count__gte=1).update(no_count=F("no_count") - 1)


def answers_of_friend_delete(*, friend_id: int) -> int:
    """Delete FRIEND_ID's answers (their account is erased), each leaving its tally."""
    removed = 0
    with transaction.atomic():
        for pk, ask_id, yes in (
            AskAnswer.objects.select_for_update()
            .filter(friend_id=friend_id)
            .values_list("pk", "ask_id", "yes")
        ):
            if AskAnswer.objects.filter(pk=pk).delete()[0]:
                _count_remove(ask_id=ask_id, yes=yes)
                removed += 1
    return removed
