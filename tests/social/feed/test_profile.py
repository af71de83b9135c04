"""A person's page (/people/<username>/) shows their own activity the viewer may see: the
feed's section, registered with the graph's profile-section registry, in constant queries.
(Who sees which activity on the page: test_access_matrix.py, activity_on_profile_page.)"""

import pytest
from django.utils import timezone
from django.utils.html import format_html

from shop.catalog.category_selectors import category_tree
from social.feed.models import Activity
from social.feed.profile import person_activity_section
from social.graph import profile_sections
from tests.factories import ProductFactory, friends_make
from tests.social.feed.conftest import person

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _activities(actor, n: int, *, visibility="friends") -> list[Activity]:
    """N activities of ACTOR: likes, purchases and shares of a few products, newest first."""
    products = ProductFactory.create_batch(3)
    now = timezone.now()
    verbs = ["like", "purchase", "share", "ask"]
    return Activity.objects.bulk_create(
        [
            Activity(
                verb=verbs[i % 4],
                actor=actor,
                product=products[i % 3],
                snapshot={
                    "title": f"Thing {i}",
                    "image_url": "/media/x.png",
                    "price": 1000 + i,
                    "currency": "EUR",
                    "url": f"/products/thing-{i}/",
                    "merchant": "Outdoor Co",
                },
                visibility=visibility,
                dedupe_key=f"profile-{actor.pk}-{i}",
                created_at=now - timezone.timedelta(minutes=i),
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("n", [2, 40])
def test_a_persons_page_takes_the_same_queries_whatever_their_activity(
    client, django_assert_num_queries, n
):
    me, ana = person("me"), person("ana")
    friends_make(me, ana)
    _activities(ana, n)
    client.force_login(me)
    category_tree()
    client.get("/people/ana/")  # the header's cached parts

    # session, the viewer, the header's badges (one query); the person, the blocks, the ties, the
    # mutual friends, the friends count (shared with friends); the activity section
    with django_assert_num_queries(7):
        response = client.get("/people/ana/")

    assert response.status_code == 200
    assert "Thing 0" in _text(response)


def test_the_activity_section_shows_the_newest_grouped_as_the_feed_does(client):
    me, ben = person("me"), person("ben")
    friends_make(me, ben)
    now = timezone.now()
    for i in range(3):
        Activity.objects.create(
            verb="purchase",
            actor=ben,
            product=ProductFactory(),
            snapshot={"title": f"Tent {i}", "price": 100, "url": "/p/", "merchant": "Outdoor Co"},
            visibility="friends",
            dedupe_key=f"p{i}",
            created_at=now - timezone.timedelta(minutes=i),
        )
    client.force_login(me)

    text = _text(client.get("/people/ben/"))

    assert 'id="person-activity-heading">Activity</h2>' in text
    assert "Ben</strong></a> bought 3 things from Outdoor Co" in text


def test_a_person_without_visible_activity_shows_an_empty_state(client):
    me, ana = person("me"), person("ana")
    _activities(ana, 3, visibility="friends")  # not friends: none of it is for me
    client.force_login(me)

    text = _text(client.get("/people/ana/"))

    assert "Nothing from Ana to show you yet." in text
    assert "Thing 0" not in text


def test_my_own_empty_page_says_what_will_show_there(client):
    me = person("me")
    client.force_login(me)

    text = _text(client.get("/people/me/"))

    assert "You have not shared anything yet." in text


def test_a_visitor_sees_only_public_activity(client):
    ana = person("ana")
    _activities(ana, 1, visibility="friends")
    Activity.objects.create(
        verb="like",
        actor=ana,
        snapshot={"title": "Public Lamp", "price": 100, "url": "/p/"},
        visibility="public",
        dedupe_key="public",
    )

    text = _text(client.get("/people/ana/"))

    assert "Public Lamp" in text and "Thing 0" not in text


def test_registered_profile_sections_render_in_order_and_empty_ones_are_left_out(client):
    seen = []

    def greeting(*, viewer, person):
        seen.append((viewer, person.username))
        return format_html("<section><h2>Hello {}</h2></section>", person.public_name)

    def nothing(*, viewer, person):
        return None

    profile_sections.profile_section_register(greeting)
    profile_sections.profile_section_register(nothing)
    try:
        person("ana")
        text = _text(client.get("/people/ana/"))
    finally:
        profile_sections.profile_section_unregister(greeting)
        profile_sections.profile_section_unregister(nothing)

    assert seen == [(None, "ana")]
    assert text.index("Activity</h2>") < text.index("<h2>Hello Ana</h2>")
    assert person_activity_section in profile_sections._sections
