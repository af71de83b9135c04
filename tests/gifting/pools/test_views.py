"""The pools' pages: the pool page for each viewer, chipping in, inviting, the organiser's
panel, my pools, and the recipient's gift page with its PDF card."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from gifting.pools import contributions, selectors, services
from gifting.pools.models import Contribution, Pool, PoolInvitation
from tests.factories import ProductImageFactory, UserFactory, friends_make, variant_make
from tests.gifting.pools.helpers import pool_make
from tests.html import amount_shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Olga organises; Rita receives; Fred is Olga's friend; Sam a stranger."""
    olga, rita, fred, sam = (
        UserFactory(username=n, display_name=n.title(), email=f"{n}@example.com")
        for n in ("olga", "rita", "fred", "sam")
    )
    friends_make(olga, rita, fred)
    return olga, rita, fred, sam


def _as(client, user):
    client.force_login(user)
    return client


def _paid(pool, amount, **fields):
    contribution = contributions.contribution_reserve(pool=pool, amount=amount, **fields)
    contributions.contribution_succeed(contribution=contribution)
    pool.refresh_from_db()
    return contribution


def _page(client, pool, **params):
    return client.get(f"/pools/{pool.token}/", params)


# --- the pool page ----------------------------------------------------------------------------


def test_the_pool_page_shows_the_gift_progress_and_chip_in_form(client, people):
    olga, rita, fred, _ = people
    variant = variant_make(price=4_000, title="Espresso Machine")
    pool = pool_make(olga, recipient=rita, variant=variant, target=5_000, message="For Rita!")
    _paid(pool, 1_000, contributor=fred, message="Happy birthday Rita")

    page = _page(_as(client, fred), pool).content.decode()

    assert "A gift for Rita" in page and "Espresso Machine" in page and "For Rita!" in page
    assert '<progress class="pool-progress__bar" id="pool-progress-bar" max="100" value="20"' in (
        page
    )
    assert '<label class="pool-progress__label" for="pool-progress-bar">' in page
    assert "€10.00</strong> collected of €50.00" in page
    assert "Happy birthday Rita" in page and ">Chip in</button>" in page


def test_hidden_names_and_amounts_never_reach_others_pages(client, people):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita, target=10_000, show_amounts=False)
    _paid(pool, 1_234, contributor=fred, hide_name=True, message="From a secret friend")
    _paid(pool, 2_345, guest_name="Gustavo", guest_email="gus@example.com")

    page = _page(_as(client, sam), pool).content.decode()

    assert "Fred" not in page
    assert not any(amount_shown(a, page) for a in ("12.34", "23.45"))
    assert not any(amount_shown(a, page) for a in ("35.79", "100.00"))  # the total, the target
    assert "Someone" in page and "Gustavo" in page and "From a secret friend" in page
    assert "<strong>35%</strong> of the gift collected" in page


def test_the_organiser_sees_every_name_and_amount_and_their_panel(client, people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, show_amounts=False)
    _paid(pool, 1_234, contributor=fred, hide_name=True)

    page = _page(_as(client, olga), pool).content.decode()

    assert "Fred" in page and "€12.34" in page and "(name hidden from the others)" in page
    assert "Your pool" in page and "Invite people" in page and "Share this link" in page
    assert "Close the pool and refund everyone" in page


@pytest.mark.parametrize(
    ("who", "visibility", "status"),
    [
        ("rita", "public", 404),  # the recipient, never
        ("sam", "friends", 404),
        ("sam", "link", 200),
        ("fred", "friends", 200),
        ("anonymous", "friends", 404),
        ("anonymous", "link", 200),
    ],
)
def test_who_opens_the_pool_page(client, people, who, visibility, status):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita, visibility=visibility)
    if who != "anonymous":
        _as(client, {"rita": rita, "sam": sam, "fred": fred}[who])

    assert _page(client, pool).status_code == status


def test_an_email_invitations_link_opens_a_friends_pool_for_the_session(client, people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita, visibility="friends")
    invitation = PoolInvitation.objects.create(pool=pool, email="gus@example.com")

    first = _page(client, pool, invite=invitation.token)
    again = _page(client, pool)

    assert first.status_code == 200 and again.status_code == 200
    assert 'name="guest_email"' in again.content.decode()


def _contributions_make(pool, n: int) -> None:
    """N paid contributions, written at once (this is about reading them)."""
    people = UserFactory.create_batch(n // 2)
    rows = [
        Contribution(
            pool=pool,
            contributor=people[i] if i < len(people) else None,
            guest_name="" if i < len(people) else f"Guest {i}",
            guest_email="" if i < len(people) else f"g{i}@example.com",
            amount=100,
            status=Contribution.Status.SUCCEEDED,
            hide_name=i % 3 == 0,
            message=f"Message {i}",
            idempotency_key=f"k-{pool.pk}-{i}",
            reserved_until=timezone.now(),
            succeeded_at=timezone.now(),
        )
        for i in range(n)
    ]
    Contribution.objects.bulk_create(rows)
    Pool.objects.filter(pk=pool.pk).update(collected=100 * n)


@pytest.mark.parametrize("viewer", ["organiser", "friend", "anonymous"])
def test_pool_page_queries_do_not_grow_with_contributions(client, people, viewer):
    olga, rita, fred, _ = people
    counts = []
    for n in (5, 200):
        pool = pool_make(olga, recipient=rita, variant=variant_make(), target=100_000)
        ProductImageFactory(product=pool.variant.product)
        PoolInvitation.objects.create(pool=pool, invitee=fred)
        _contributions_make(pool, n)
        if viewer != "anonymous":
            _as(client, olga if viewer == "organiser" else fred)
        _page(client, pool)  # the session and the like, once
        with CaptureQueriesContext(connection) as captured:
            response = _page(client, pool)
        assert response.status_code == 200 and f"Message {n - 1}" in response.content.decode()
        counts.append(len(captured))

    assert counts[0] == counts[1]


# --- chipping in ------------------------------------------------------------------------------


def test_chipping_in_reserves_the_amount_and_opens_the_card_form(client, people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita)

    response = _as(client, fred).post(
        f"/pools/{pool.token}/chip-in/",
        {"amount": "12.50", "message": "Enjoy", "hide_name": "on", "key": "abc"},
    )

    contribution = Contribution.objects.get(pool=pool)
    assert response.status_code == 302
    assert response["Location"] == f"/pools/{pool.token}/pay/{contribution.pk}/"
    assert (contribution.contributor, contribution.amount, contribution.hide_name) == (
        fred,
        1_250,
        True,
    )
    pay = client.get(response["Location"]).content.decode()
    assert "Pay €12.50" in pay and "4242 4242 4242 4242" in pay


def test_a_form_sent_twice_is_one_contribution(client, people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita)
    data = {"amount": "5", "key": "same-key"}

    _as(client, fred).post(f"/pools/{pool.token}/chip-in/", data)
    client.post(f"/pools/{pool.token}/chip-in/", data)

    assert Contribution.objects.filter(pool=pool).count() == 1


def test_a_guest_gives_a_name_and_an_email(client, people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita)

    missing = client.post(f"/pools/{pool.token}/chip-in/", {"amount": "5"})
    given = client.post(
        f"/pools/{pool.token}/chip-in/",
        {"amount": "5", "guest_name": "Gus", "guest_email": "gus@example.com"},
    )

    assert missing.status_code == 400 and "Your name: This field is required." in (
        missing.content.decode()
    )
    contribution = Contribution.objects.get(pool=pool)
    assert (contribution.guest_name, contribution.guest_email) == ("Gus", "gus@example.com")
    assert client.get(given["Location"]).status_code == 200  # their session holds it


def test_below_the_minimum_is_said_on_the_form(client, people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, minimum=500)

    response = _as(client, fred).post(f"/pools/{pool.token}/chip-in/", {"amount": "2"})

    assert response.status_code == 400
    assert "Chip in at least €5.00." in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_full_pool_offers_the_rest_in_one_click(client, people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, target=3_000)
    _paid(pool, 2_200, contributor=olga)

    response = _as(client, fred).post(
        f"/pools/{pool.token}/chip-in/", {"amount": "10", "message": "Cheers"}
    )

    page = response.content.decode()
    assert response.status_code == 400 and "Only €8.00 is left" in page
    assert '<input type="hidden" name="amount" value="8.00">' in page
    assert ">Chip in €8.00</button>" in page
    accepted = client.post(f"/pools/{pool.token}/chip-in/", {"amount": "8.00", "message": "Cheers"})
    assert accepted.status_code == 302 and Contribution.objects.get(contributor=fred).amount == 800


def test_someone_elses_contribution_cannot_be_paid_or_cancelled(client, people):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita)
    contribution = contributions.contribution_reserve(pool=pool, amount=500, contributor=fred)

    _as(client, sam)

    assert client.get(f"/pools/{pool.token}/pay/{contribution.pk}/").status_code == 404
    assert client.post(f"/pools/{pool.token}/pay/{contribution.pk}/cancel/").status_code == 404


def test_cancelling_a_reserved_contribution_frees_its_amount(client, people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita)
    contribution = contributions.contribution_reserve(pool=pool, amount=500, contributor=fred)

    _as(client, fred).post(f"/pools/{pool.token}/pay/{contribution.pk}/cancel/")

    contribution.refresh_from_db()
    pool.refresh_from_db()
    assert contribution.status == "released" and pool.reserved == 0


def test_a_closed_pool_shows_no_chip_in_form(client, people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita)
    services.pool_cancel(pool=pool)

    page = _page(_as(client, fred), pool).content.decode()

    assert f'action="/pools/{pool.token}/chip-in/"' not in page


# --- the organiser's panel --------------------------------------------------------------------


def test_the_organiser_invites_friends_and_emails(client, people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita)

    page = _page(_as(client, olga), pool).content.decode()
    response = client.post(
        f"/pools/{pool.token}/invite/",
        {"friends": [str(fred.pk)], "emails": "gus@example.com, ana@example.com"},
    )

    assert "Fred" in page and f'value="{rita.pk}"' not in page  # never the recipient
    assert response.status_code == 302
    assert PoolInvitation.objects.filter(pool=pool).count() == 3


def test_a_bad_invitation_email_is_said_not_a_500(client, people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita)

    response = _as(client, olga).post(f"/pools/{pool.token}/invite/", {"emails": "nope"})

    assert response.status_code == 400 and "is not an email address" in response.content.decode()


def test_only_the_organiser_reaches_the_panels_actions(client, people):
    olga, rita, fred, _ = people
    pool = pool_make(olga, recipient=rita, visibility="public")

    _as(client, fred)

    for action in ("invite", "order", "extend", "top-up", "close"):
        assert client.post(f"/pools/{pool.token}/{action}/").status_code == 404
    assert client.get(f"/pools/{pool.token}/close/").status_code == 404


def test_closing_asks_first(client, people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita)

    page = _as(client, olga).get(f"/pools/{pool.token}/close/").content.decode()

    assert "Close the pool for" in page and "cannot be undone" in page
    pool.refresh_from_db()
    assert pool.state == "open"


def test_an_expired_pool_offers_its_choices(client, people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita, variant=variant_make())
    services.pool_expire(pool=pool)

    page = _page(_as(client, olga), pool).content.decode()

    for label in (
        "Extend the deadline",
        "Top up €100.00",
        "Switch to another gift",
        "Close the pool",
    ):
        assert label in page


def test_extending_a_pool_from_its_page(client, people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita)
    services.pool_expire(pool=pool)
    day = timezone.localdate() + timedelta(days=5)

    _as(client, olga).post(f"/pools/{pool.token}/extend/", {"deadline": day.isoformat()})

    pool.refresh_from_db()
    assert pool.state == "open" and timezone.localtime(pool.deadline).date() == day


# --- my pools ---------------------------------------------------------------------------------


def test_my_pools_list_and_its_empty_state(client, people):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita, variant=variant_make(title="Kettle"))
    _paid(pool, 700, contributor=fred)

    mine = _as(client, fred).get("/pools/").content.decode()
    empty = _as(client, sam).get("/pools/").content.decode()

    assert "Kettle" in mine and "you chipped in €7.00" in mine
    assert "No gift pool yet" in empty


def test_my_pools_needs_signing_in(client):
    assert client.get("/pools/").status_code == 302


# --- the gift page ----------------------------------------------------------------------------


def _ordered_pool(people):
    olga, rita, fred, sam = people
    pool = pool_make(olga, recipient=rita, target=1_000, message="From all of us")
    _paid(pool, 600, contributor=fred, message="Enjoy it, Rita!")
    _paid(pool, 400, contributor=sam, hide_name=True, message="A secret hug")
    services.pool_mark_ordered(pool=pool)
    return pool


def test_the_recipient_opens_the_gift_page_with_its_signed_link(client, people):
    pool = _ordered_pool(people)
    rita = people[1]

    page = _as(client, rita).get(selectors.pool_gift_url(pool)).content.decode()

    assert "Rita, your friends have a gift for you" in page
    assert "Enjoy it, Rita!" in page and "A secret hug" in page and "A friend" in page
    assert "Sam" not in page and "€" not in page and "From all of us" not in page
    assert "Print the card" in page


def test_gift_page_queries_do_not_grow_with_contributions(client, people):
    olga, rita, *_ = people
    counts = []
    for n in (5, 200):
        pool = pool_make(olga, recipient=rita, variant=variant_make(), target=100_000)
        _contributions_make(pool, n)
        services.pool_fund(pool=pool)
        services.pool_mark_ordered(pool=pool)
        client.get(selectors.pool_gift_url(pool))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(selectors.pool_gift_url(pool))
        assert response.status_code == 200 and f"Message {n - 1}" in response.content.decode()
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_a_bad_signature_is_not_found(client, people):
    pool = _ordered_pool(people)

    assert client.get(f"/pools/{pool.token}/gift/?s=forged").status_code == 404
    assert client.get(f"/pools/{pool.token}/gift/").status_code == 404
    assert client.get(f"/pools/{pool.token}/card.pdf?s=forged").status_code == 404


def test_the_card_is_a_pdf(client, people):
    pool = _ordered_pool(people)

    response = client.get(selectors.pool_card_url(pool))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "For Rita" in text and "Enjoy it, Rita!" in text and "A secret hug" in text
    assert "Sam" not in text and "€" not in text


def test_the_organiser_downloads_the_card_without_the_link(client, people):
    pool = _ordered_pool(people)

    response = _as(client, people[0]).get(f"/pools/{pool.token}/card.pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
