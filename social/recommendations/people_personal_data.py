""" "People you may know"'s part of "download my data" and "delete my account"
(shop.core.personal_data): the people a person said "Not now" to."""

from django.db.models import Q

from social.recommendations.models import Dismissal


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
    """Delete USER's dismissals, and others' dismissals of USER."""
    Dismissal.objects.filter(Q(user_id=user.pk) | Q(person_id=user.pk)).delete()
