import pytest
from django.http import Http404

from shop.core.cursors import cursor_parse
from shop.core.errors import DomainError
from social.graph import services as graph
from social.notifications import selectors
from tests.factories import UserFactory
from tests.social.notifications.helpers import accepted_by, notifications_many, order_shipped

pytestmark = pytest.mark.django_db


def test_alike_notifications_on_a_page_show_as_one_line():
    ben = UserFactory()
    for name in ("Cleo", "Dan", "Ana"):  # Ana last: the newest
        accepted_by(ben, UserFactory(display_name=name))
    order_shipped(ben, number="AG-1")

    page = selectors.notification_list(user=ben)

    assert [item.text for item in page.items] == [
        "Your order AG-1 has shipped",
        "Ana and 2 others accepted your friend requests",
    ]
    assert len(page.items[1].ids) == 3
    assert page.items[1].url == "/friends/"


def test_two_alike_name_both():
    ben = UserFactory()
    accepted_by(ben, UserFactory(display_name="Dan"))
    accepted_by(ben, UserFactory(display_name="Ana"))

    (item,) = selectors.notification_list(user=ben).items

    assert item.text == "Ana and Dan accepted your friend requests"


def test_grouping_takes_constant_queries(django_assert_num_queries):
    ben = UserFactory()
    for _ in range(30):
        accepted_by(ben, UserFactory())

    with django_assert_num_queries(1):
        selectors.notification_list(user=ben)


def test_the_cursor_walks_the_list_newest_first_without_repeats():
    ben = UserFactory()
    notifications_many(ben, 45)

    seen, cursor = [], None
    while True:
        page = selectors.notification_list(user=ben, cursor=cursor, size=20)
        seen += [item.newest.data["number"] for item in page.items]
        if page.next_cursor is None:
            break
        cursor = cursor_parse(page.next_cursor)

    assert seen == [f"AG-{i:06d}" for i in reversed(range(45))]


@pytest.mark.parametrize("raw", ["nonsense", "MjAyNHxh", "x" * 200, "é"])
def test_a_bad_cursor_is_refused_naming_the_field(raw):
    with pytest.raises(DomainError) as refused:
        cursor_parse(raw)

    assert (refused.value.field, refused.value.code) == ("cursor", "invalid_cursor")


@pytest.mark.parametrize("count", [0, 5, 50])
def test_the_unread_count_is_one_query(django_assert_num_queries, count):
    ben = UserFactory()
    notifications_many(ben, count)

    with django_assert_num_queries(1):
        assert selectors.unread_count(viewer=ben) == count


def test_a_blocked_actor_vanishes_from_the_list_and_the_count_either_way():
    ben, ana, cleo = UserFactory(), UserFactory(display_name="Ana"), UserFactory()
    accepted_by(ben, ana)
    accepted_by(ben, cleo)
    order_shipped(ben)

    graph.person_block(blocker=ben, person=cleo)
    graph.person_block(blocker=ana, person=ben)

    texts = [item.text for item in selectors.notification_list(user=ben).items]
    assert texts == ["Your order AG-TEST has shipped"]
    assert selectors.unread_count(viewer=ben) == 1


def test_a_gone_actor_vanishes_from_the_list():
    ben, ana = UserFactory(), UserFactory()
    accepted_by(ben, ana)
    ana.is_active = False
    ana.save()

    assert selectors.notification_list(user=ben).items == []


def test_someone_elses_notification_is_not_found():
    ben, eve = UserFactory(), UserFactory()
    notification = order_shipped(ben)

    with pytest.raises(Http404):
        selectors.notification_get_for_user(user=eve, notification_id=notification.pk)
