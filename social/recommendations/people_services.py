"""Writes of "people you may know": "Not now" (a dismissal, for good). "Add friend" is the
graph's friend request (social.graph.services.friend_request_send), not a write of ours."""

from functools import partial

from django.db import transaction

from shop.core.errors import DomainError
from social.recommendations.models import Dismissal
from social.recommendations.people_errors import PeopleError
from social.recommendations.people_selectors import suggestions_forget


def suggestion_dismiss(*, user, person) -> Dismissal:
    """USER says "Not now" to PERSON: PERSON is never suggested to USER again. Dismissing
    again changes nothing and returns the first dismissal.

    Raises DomainError SELF_NOT_ALLOWED (field "person").
    """
    if user.pk == person.pk:
        raise DomainError(
            "You cannot dismiss yourself.", code=PeopleError.SELF_NOT_ALLOWED, field="person"
        )
    # ignore_conflicts: a second click (or tab) racing the first is the same dismissal.
    Dismissal.objects.bulk_create([Dismissal(user=user, person=person)], ignore_conflicts=True)
    dismissal = Dismissal.objects.get(user_id=user.pk, person_id=person.pk)
    # The ranking is made again without PERSON, so the list keeps its length.
    transaction.on_commit(partial(suggestions_forget, user_ids=[user.pk]))
    return dismissal


def dismissals_erase(*, user) -> None:
    """Delete USER's dismissals (their account is being deleted)."""
    Dismissal.objects.filter(user_id=user.pk).delete()
