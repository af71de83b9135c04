"""The pools' access rule and what each viewer is shown of a pool."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from gifting.pools import contributions, selectors, services
from gifting.pools.models import PoolInvitation
from social.graph.models import Block
from tests.factories import UserFactory, friends_make, variant_make
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Olga organises; Rita receives; Fred is Olga's friend; Sam a stranger."""
    olga, rita, fred, sam = (
        UserFactory(username=n, display_name=n.title()) for n in ("olga", "rita", "fred", "sam")
    )
    friends_make(olga, rita, fred)
    return olga, rita, fred, sam


def _paid(pool, amount, **fields):
    contribution = contributions.contribution_reserve(pool=pool, amount=amount, **fields)
    contributions.contribution_succeed(contribution=contribution)
    pool.refresh_from_db()
    return contribution


def _sees(viewer, pool, invitation_token=""):
    try:
        selectors.pool_get_by_token(
            viewer=viewer, token=pool.token, invitation_token=invitation_token
        )
    except Http404:
        return False
    return True


# --- the access rule ------------------------------------------------------------------------


def test_the_organiser_sees_their_pool_whatever_its_visibility(people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita, visibility="friends")

    assert _sees(olga, pool)


def test_the_recipient_never_sees_the_pool_even_when_public(people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita, visibility="public")

    assert not _sees(rita, pool)


@pytest.mark.parametrize(
    ("visibility", "friend", "stranger", "anonymous"),
    [
        ("friends", True, False, False),
        ("link", True, True, True),
        ("public", True, True, True),
    ],
)
def test_who_sees_a_pool_by_its_link_follows_its_visibility(
    people, visibility, friend, stranger, anonymous
):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita, visibility=visibility)

    assert _sees(fred, pool) is friend
    assert _sees(sam, pool) is stranger
    assert _sees(None, pool) is anonymous
    assert _sees(AnonymousUser(), pool) is anonymous


def test_a_contributor_sees_a_friends_pool_they_are_not_friends_with(people):
    olga, rita, _, sam = people
    pool = pool_make(olga, recipient=rita, visibility="link")
    _paid(pool, 500, contributor=sam)
    pool.visibility = "friends"
    pool.save(update_fields=["visibility"])

    assert _sees(sam, pool)


def test_an_invited_member_sees_a_friends_pool(people):
    olga, rita, _, sam = people
    pool = pool_make(olga, recipient=rita, visibility="friends")
    PoolInvitation.objects.create(pool=pool, invitee=sam)

    assert _sees(sam, pool)


def test_an_email_invitation_token_opens_a_friends_pool_to_a_visitor(people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita, visibility="friends")
    invitation = PoolInvitation.objects.create(pool=pool, email="guest@example.com")

    assert _sees(None, pool, invitation_token=invitation.token)
    assert not _sees(None, pool, invitation_token="not-a-token")


def test_another_pools_invitation_token_opens_nothing(people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita, visibility="friends")
    other = pool_make(olga, recipient=rita, visibility="friends")
    invitation = PoolInvitation.objects.create(pool=other, email="guest@example.com")

    assert not _sees(None, pool, invitation_token=invitation.token)


@pytest.mark.parametrize("blocker_is_organiser", [True, False])
def test_blocked_either_way_sees_nothing_even_invited(people, blocker_is_organiser):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, visibility="public")
    PoolInvitation.objects.create(pool=pool, invitee=fred)
    if blocker_is_organiser:
        Block.objects.create(blocker=olga, blocked=fred)
    else:
        Block.objects.create(blocker=fred, blocked=olga)

    assert not _sees(fred, pool)


def test_a_token_that_is_no_pools_is_not_found(people):
    with pytest.raises(Http404):
        selectors.pool_get_by_token(viewer=None, token="nope")
    with pytest.raises(Http404):
        selectors.pool_get_by_token(viewer=None, token="x" * 500)


# --- what is shown ----------------------------------------------------------------------------


def test_the_organiser_sees_every_name_and_amount(people):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita, show_amounts=False)
    _paid(pool, 700, contributor=fred, hide_name=True, message="Happy birthday!")
    _paid(pool, 300, guest_name="Gus", guest_email="gus@example.com")

    shown = selectors.pool_shown(viewer=olga, pool=pool)

    assert [(c.name, c.amount) for c in shown.contributors] == [("Fred", 700), ("Gus", 300)]
    assert shown.collected == 1000 and shown.target == 10_000 and shown.percent == 10
    assert shown.is_organiser and shown.actions == {"invite", "close"}


def test_others_see_someone_and_no_amounts_when_the_pool_hides_them(people):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita, show_amounts=False)
    _paid(pool, 700, contributor=fred, hide_name=True, message="Happy birthday!")
    _paid(pool, 300, guest_name="Gus", guest_email="gus@example.com")

    shown = selectors.pool_shown(viewer=sam, pool=pool)

    assert [(c.name, c.amount) for c in shown.contributors] == [("Someone", None), ("Gus", None)]
    assert shown.messages[0].name == "Someone"
    assert shown.collected is None and shown.target is None and shown.percent == 10
    assert not shown.is_organiser and shown.actions == frozenset()


def test_a_contributor_sees_their_own_amount_and_name_as_you(people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, show_amounts=False)
    _paid(pool, 700, contributor=fred, hide_name=True)

    shown = selectors.pool_shown(viewer=fred, pool=pool)

    assert [(c.name, c.amount, c.mine) for c in shown.contributors] == [("You", 700, True)]


def test_others_see_amounts_when_the_pool_shows_them(people):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita, show_amounts=True)
    _paid(pool, 700, contributor=fred, hide_name=True)

    shown = selectors.pool_shown(viewer=sam, pool=pool)

    assert [(c.name, c.amount) for c in shown.contributors] == [("Someone", 700)]
    assert shown.collected == 700


def test_reserved_contributions_are_not_shown_yet(people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita)
    contributions.contribution_reserve(pool=pool, amount=500, contributor=fred)
    pool.refresh_from_db()

    shown = selectors.pool_shown(viewer=olga, pool=pool)

    assert shown.contributors == [] and shown.remaining == 9_500


@pytest.mark.parametrize(
    ("rule", "fields", "suggested"),
    [
        ("any", {"minimum": 500}, 500),
        ("suggested", {"suggested_amount": 2_000}, 2_000),
        ("equal_share", {"invited_count": 3}, 3_334),
    ],
)
def test_the_chip_in_form_starts_with_the_rules_amount(people, rule, fields, suggested):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita, rule=rule, **fields)

    shown = selectors.pool_shown(viewer=None, pool=pool)

    assert shown.suggested == suggested and shown.can_contribute


def test_the_last_chip_in_is_offered_exactly_the_rest(people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, target=5_000, rule="suggested", suggested_amount=3_000)
    _paid(pool, 4_000, contributor=fred)

    shown = selectors.pool_shown(viewer=None, pool=pool)

    assert shown.suggested == 1_000 and shown.minimum == 100


def test_a_funded_pool_takes_no_more_and_offers_the_organiser_to_order(people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, target=1_000, variant=variant_make(price=1_000))
    _paid(pool, 1_000, contributor=fred)

    organiser = selectors.pool_shown(viewer=olga, pool=pool)
    friend = selectors.pool_shown(viewer=fred, pool=pool)

    assert pool.state == "funded" and organiser.percent == 100
    assert "order" in organiser.actions and not organiser.can_contribute
    assert friend.actions == frozenset() and not friend.can_contribute


def test_a_funded_pool_for_an_amount_offers_its_organiser_to_choose_the_gift(people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, target=1_000)
    _paid(pool, 1_000, contributor=fred)

    organiser = selectors.pool_shown(viewer=olga, pool=pool)

    assert pool.state == "funded" and organiser.actions == {"choose", "close"}


def test_an_expired_pool_offers_extend_once_top_up_switch_and_close(people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita)
    services.pool_expire(pool=pool)

    assert selectors.pool_shown(viewer=olga, pool=pool).actions == {
        "extend",
        "top_up",
        "switch",
        "close",
    }
    pool.extended_once = True
    assert "extend" not in selectors.pool_shown(viewer=olga, pool=pool).actions


def test_invite_choices_are_the_organisers_friends_but_not_the_recipient_blocked_or_invited(
    people,
):
    olga, rita, fred, sam = people
    ivy, bob = UserFactory(username="ivy"), UserFactory(username="bob")
    friends_make(olga, ivy, bob)
    Block.objects.create(blocker=bob, blocked=olga)
    pool = pool_make(olga, recipient=rita)
    PoolInvitation.objects.create(pool=pool, invitee=ivy)

    choices = selectors.pool_invite_choices(pool=pool)

    assert choices == [fred]


# --- my pools ---------------------------------------------------------------------------------


def test_my_pools_are_those_i_organised_or_chipped_in_to(people):
    olga, rita, fred, sam = people
    organised = pool_make(fred, recipient=rita)
    chipped = pool_make(olga, recipient=rita, show_amounts=False)
    pool_make(olga, recipient=rita)  # neither
    _paid(chipped, 400, contributor=fred)

    listed = selectors.pool_list_mine(user=fred)

    assert [(p.pool, p.is_organiser, p.collected, p.my_amount) for p in listed] == [
        (chipped, False, None, 400),
        (organised, True, 0, None),
    ]


@pytest.mark.parametrize("n", [2, 12])
def test_my_pools_queries_do_not_grow_with_pools(people, django_assert_num_queries, n):
    olga, rita, fred, _ = people
    for _ in range(n):
        pool = pool_make(olga, recipient=rita, variant=variant_make())
        _paid(pool, 200, contributor=fred)

    with django_assert_num_queries(3):  # pools, pictures, my contributions
        assert len(selectors.pool_list_mine(user=fred)) == n


# --- the gift page ----------------------------------------------------------------------------


def _ordered(pool):
    services.pool_fund(pool=pool)
    services.pool_mark_ordered(pool=pool)
    return pool


def test_the_gift_link_opens_the_gift_page_once_ordered(people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, target=1_000)
    signature = selectors.pool_gift_url(pool).split("?s=")[1]

    with pytest.raises(Http404):
        selectors.pool_get_for_gift(token=pool.token, signature=signature)
    _paid(pool, 1_000, contributor=fred)
    services.pool_mark_ordered(pool=pool)

    assert selectors.pool_get_for_gift(token=pool.token, signature=signature) == pool


def test_a_bad_or_another_pools_signature_is_not_found(people):
    olga, rita, *_ = people
    pool = _ordered(pool_make(olga, recipient=rita))
    other = _ordered(pool_make(olga, recipient=rita))
    other_signature = selectors.pool_gift_url(other).split("?s=")[1]

    for signature in ["", "forged", other_signature, other_signature + "x"]:
        with pytest.raises(Http404):
            selectors.pool_get_for_gift(token=pool.token, signature=signature)


def test_the_organiser_opens_the_gift_page_without_the_signature(people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita)

    assert selectors.pool_get_for_gift(token=pool.token, signature="", viewer=olga) == pool
    with pytest.raises(Http404):
        selectors.pool_get_for_gift(token=pool.token, signature="", viewer=rita)


def test_the_gift_page_shows_messages_and_names_per_their_choice_never_amounts(people):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita, target=1_000, message="From all of us")
    _paid(pool, 600, contributor=fred, message="Enjoy!")
    _paid(pool, 400, contributor=sam, hide_name=True, message="Have fun")

    gift = selectors.pool_gift_shown(pool=pool)

    assert gift.names == ["Fred"] and gift.hidden_count == 1
    assert [(m.name, m.message) for m in gift.messages] == [
        ("Fred", "Enjoy!"),
        ("A friend", "Have fun"),
    ]
    assert gift.givers == "Olga, Fred and 1 more friend"
    assert not hasattr(gift, "organiser_message")  # it was written to the invited
    assert not hasattr(gift, "collected")
