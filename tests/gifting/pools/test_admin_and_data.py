"""Pools in the admin (read-only, searchable) and in a person's data."""

import pytest

from gifting.pools import contributions
from gifting.pools.models import Contribution, Pool
from shop.core import personal_data
from tests.factories import UserFactory
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_finds_pools_and_changes_none(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    pool = pool_make(UserFactory(username="olga"), recipient_name="Birthday Bea")
    contributions.contribution_reserve(pool=pool, amount=500, contributor=UserFactory())

    listing = client.get("/admin/pools/pool/", {"q": "Bea", "state__exact": "open"})
    page = client.get(f"/admin/pools/pool/{pool.pk}/change/")
    posted = client.post(f"/admin/pools/pool/{pool.pk}/change/", {"target": "1"})

    assert listing.status_code == 200 and "Birthday Bea" in listing.content.decode()
    assert page.status_code == 200 and "Birthday Bea" in page.content.decode()
    assert posted.status_code == 403
    pool.refresh_from_db()
    assert pool.target == 10_000


def test_pools_register_their_part_of_a_persons_data():
    assert "pools" in {part.name for part in personal_data.personal_data_parts()}


def test_the_export_holds_the_persons_pools_and_contributions_and_erasing_keeps_the_money():
    sam = UserFactory()
    pool = pool_make(sam, message="For Bea's birthday")
    other = pool_make(target=2000)
    mine = contributions.contribution_reserve(
        pool=other, amount=700, contributor=sam, message="Happy birthday!"
    )
    contributions.contribution_succeed(contribution=mine)

    export = personal_data.personal_data_export(user=sam)["pools"]
    part = next(p for p in personal_data.personal_data_parts() if p.name == "pools")
    part.eraser(sam)

    assert [p["message"] for p in export["pools"]] == ["For Bea's birthday"]
    assert [(c["amount"], c["message"]) for c in export["contributions"]] == [
        (700, "Happy birthday!")
    ]
    mine = Contribution.objects.get(pk=mine.pk)
    assert (mine.amount, mine.status, mine.message) == (700, "succeeded", "")
    assert Pool.objects.get(pk=pool.pk).message == ""
    assert Pool.objects.get(pk=other.pk).collected == 700
