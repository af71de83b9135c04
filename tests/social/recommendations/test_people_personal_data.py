""" "People you may know" in "download my data" and "delete my account"."""

import pytest

from shop.core.personal_data import personal_data_erase, personal_data_export
from social.recommendations import people_services
from social.recommendations.models import Dismissal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_export_lists_whom_one_dismissed():
    me, zoe = UserFactory(username="me"), UserFactory(username="zoe")
    people_services.suggestion_dismiss(user=me, person=zoe)

    part = personal_data_export(user=me)["people_you_may_know"]

    assert [d["username"] for d in part["suggestions_dismissed"]] == ["zoe"]


def test_deleting_the_account_deletes_its_dismissals_both_ways():
    me, zoe, cy = UserFactory(), UserFactory(), UserFactory()
    people_services.suggestion_dismiss(user=me, person=zoe)
    people_services.suggestion_dismiss(user=cy, person=me)
    people_services.suggestion_dismiss(user=cy, person=zoe)

    personal_data_erase(user=me)

    assert list(Dismissal.objects.values_list("user_id", "person_id")) == [(cy.pk, zoe.pk)]
