""" "People you may know"'s part of "download my data" and "delete my account"
(shop.core.personal_data): the people a person said "Not now" to."""

from django.db import transaction
from django.db.models import Q

from social.recommendations.models import Dismissal
from social.recommendations.people_selectors import suggestions_forget_everyone


def people_export(user) -> dict:
    """Return whom USER dismissed from "People you may know", and when."""
    return {
        "suggestions_dismissed": [
            {"username": d.person.username, "at": d.created_at.isoformat()}
            for d in Dismissal.objects.filter(user_id=user.pk)
            .select_related("person")
            .order_by("created_at", "pk")
        ]
    }


def people_erase(user) -> None:
    """Delete USER's dismissals, and others' dismissals of USER; once the account is gone, no
    cached answer suggests or names them."""
    Dismissal.objects.filter(Q(user_id=user.pk) | Q(person_id=user.pk)).delete()
    transaction.on_commit(suggestions_forget_everyone)
