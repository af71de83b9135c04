"""A pool for friends or everyone shows in the organiser's friends' feeds, never in its
recipient's (even a friend of the organiser's, even when their feed is rebuilt or pulled);
a public pool's contributions show by name unless hidden, never with an amount; a link-only
pool is not announced; a cancelled pool leaves every feed."""

import pytest

from gifting.pools import contributions, services
from social.feed.models import Activity
from social.feed.services import feed_rebuild
from tests.factories import ProductFactory, friends_make
from tests.gifting.feeds import feed_text as _feed
from tests.gifting.feeds import person_signed_in as _person
from tests.gifting.pools.helpers import pool_make
from tests.html import amount_shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ana, ben, chloe, dan = (_person(n) for n in ("ana", "ben", "chloe", "dan"))
    # Ben organises for Ana; Chloe is a friend of both; Dan is a friend of Chloe only.
    friends_make(ben, ana, chloe)
    friends_make(chloe, ana, dan)
    return ana, ben, chloe, dan


def _pool(run, organiser, recipient, visibility):
    variant = ProductFactory(title="Espresso Machine").variants.get()
    return run(
        pool_make,
        organiser=organiser,
        recipient=recipient,
        recipient_name="",
        variant=variant,
        visibility=visibility,
    )


def _chip_in(run, pool, who, *, hide_name=False, amount=2_500):
    contribution = contributions.contribution_reserve(
        pool=pool, contributor=who, amount=amount, hide_name=hide_name
    )
    run(contributions.contribution_succeed, contribution=contribution)
    return contribution


def test_friends_of_the_organiser_see_the_pool_but_never_its_recipient(client, people, run):
    ana, ben, chloe, dan = people

    pool = _pool(run, ben, ana, "friends")

    seen = _feed(client, chloe)
    link = f'<a href="/pools/{pool.token}/">Espresso Machine</a>'
    assert f"started a gift pool for Ana: {link}" in seen
    assert "See the gift pool" in seen
    assert "Espresso Machine" not in _feed(client, ana)
    assert "Espresso Machine" not in _feed(client, dan)
    feed_rebuild(user_id=ana.pk)  # rebuilt from her friends' activities: still kept from her
    assert "Espresso Machine" not in _feed(client, ana)


def test_the_recipient_never_reads_the_activity_even_if_it_reached_their_feed(people, run):
    ana, ben, _, _ = people
    pool = _pool(run, ben, ana, "public")
    activity = Activity.objects.get(dedupe_key=f"pool:{pool.pk}")
    from social.feed.audience import activities_visible_to

    assert activity.hidden_from_id == ana.pk
    assert not activities_visible_to(viewer=ana, queryset=Activity.objects.all()).exists()


def test_a_link_only_pool_is_not_announced(client, people, run):
    ana, ben, chloe, _ = people

    _pool(run, ben, ana, "link")

    assert "gift pool" not in _feed(client, chloe)


def test_public_contributions_show_by_name_unless_hidden_and_never_an_amount(client, people, run):
    ana, ben, chloe, dan = people
    pool = _pool(run, ben, ana, "public")

    _chip_in(run, pool, chloe)
    _chip_in(run, pool, dan, hide_name=True, amount=1_234)

    seen = _feed(client, dan)  # a friend of Chloe's
    assert "Chloe</strong></a> chipped in for Ana’s gift" in seen
    assert not amount_shown("25.00", seen) and not amount_shown("12.34", seen)
    assert "Dan</strong></a> chipped in" not in _feed(client, chloe)
    assert "chipped in" not in _feed(client, ana)


def test_contributions_to_a_friends_pool_are_not_announced(client, people, run):
    ana, ben, chloe, dan = people
    pool = _pool(run, ben, ana, "friends")

    _chip_in(run, pool, chloe)

    assert "chipped in" not in _feed(client, dan)


def test_a_cancelled_pool_leaves_every_feed(client, people, run):
    ana, ben, chloe, dan = people
    pool = _pool(run, ben, ana, "public")
    _chip_in(run, pool, chloe)

    run(services.pool_cancel, pool=pool, by=ben)

    assert "Espresso Machine" not in _feed(client, chloe)
    assert "Espresso Machine" not in _feed(client, dan)
