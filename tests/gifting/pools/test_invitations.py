"""Inviting friends and email addresses to chip in."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from gifting.pools import selectors, services
from gifting.pools.errors import PoolError
from gifting.pools.invitations import pool_invite
from gifting.pools.models import PoolInvitation
from shop.core.errors import DomainError
from social.graph.models import Block
from social.notifications.models import Notification
from tests.factories import UserFactory, friends_make
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    olga, rita, fred, ivy, sam = (
        UserFactory(username=n, display_name=n.title(), email=f"{n}@example.com")
        for n in ("olga", "rita", "fred", "ivy", "sam")
    )
    friends_make(olga, rita, fred, ivy)
    return olga, rita, fred, ivy, sam


def test_friends_are_invited_and_notified(people, django_capture_on_commit_callbacks):
    olga, rita, fred, ivy, _ = people
    pool = pool_make(olga, recipient=rita, visibility="friends")

    with django_capture_on_commit_callbacks(execute=True):
        invitations = pool_invite(pool=pool, by=olga, friends=[fred, ivy.pk])

    assert [i.invitee for i in invitations] == [fred, ivy]
    told = Notification.objects.filter(kind="pool_invited")
    assert sorted(n.recipient_id for n in told) == [fred.pk, ivy.pk]
    assert told.first().url == f"/pools/{pool.token}/"


def test_inviting_again_is_ignored(people):
    olga, rita, fred, *_ = people
    pool = pool_make(olga, recipient=rita)
    pool_invite(pool=pool, by=olga, friends=[fred], emails=["gus@example.com"])

    again = pool_invite(pool=pool, by=olga, friends=[fred], emails=["GUS@example.com"])

    assert again == [] and PoolInvitation.objects.filter(pool=pool).count() == 2


def test_an_email_invitation_sends_the_link_with_its_token(
    people, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita, message="For her 30th")

    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = pool_invite(pool=pool, by=olga, emails=[" gus@example.com "])

    assert invitation.email == "gus@example.com"
    (sent,) = mail.outbox
    assert sent.to == ["gus@example.com"] and "Olga invites you" in sent.subject
    assert f"/pools/{pool.token}/?invite={invitation.token}" in sent.body
    assert "For her 30th" in sent.body
    assert selectors.pool_viewer_may_see(viewer=None, pool=pool, invitation_token=invitation.token)


def test_only_the_organiser_invites(people):
    olga, rita, fred, ivy, _ = people
    pool = pool_make(olga, recipient=rita)

    with pytest.raises(PermissionDenied):
        pool_invite(pool=pool, by=fred, friends=[ivy])


def test_the_recipient_is_never_invited(people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita)

    with pytest.raises(DomainError) as friend:
        pool_invite(pool=pool, by=olga, friends=[rita])
    with pytest.raises(DomainError) as email:
        pool_invite(pool=pool, by=olga, emails=["Rita@example.com"])

    assert friend.value.code == PoolError.INVALID_INVITEE
    assert email.value.code == PoolError.INVALID_EMAIL
    assert not PoolInvitation.objects.exists()


def test_a_stranger_or_a_blocked_friend_cannot_be_invited(people):
    olga, rita, fred, _, sam = people
    pool = pool_make(olga, recipient=rita)
    Block.objects.create(blocker=fred, blocked=olga)

    for person in (sam, fred):
        with pytest.raises(DomainError) as error:
            pool_invite(pool=pool, by=olga, friends=[person])
        assert error.value.code == PoolError.INVALID_INVITEE and error.value.field == "friends"
    assert not PoolInvitation.objects.exists()


def test_a_bad_email_is_refused_naming_it(people):
    olga, rita, *_ = people
    pool = pool_make(olga, recipient=rita)

    with pytest.raises(DomainError) as error:
        pool_invite(pool=pool, by=olga, emails=["gus@example.com", "not an email"])

    assert error.value.code == PoolError.INVALID_EMAIL and "not an email" in error.value.message
    assert not PoolInvitation.objects.exists()


def test_a_closed_pool_invites_nobody(people):
    olga, rita, fred, *_ = people
    pool = pool_make(olga, recipient=rita)
    services.pool_cancel(pool=pool)

    with pytest.raises(DomainError) as error:
        pool_invite(pool=pool, by=olga, friends=[fred])

    assert error.value.code == PoolError.POOL_CLOSED
