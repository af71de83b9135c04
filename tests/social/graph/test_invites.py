"""Invitations: the personal link and emails, the signup they lead to, who brought whom."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from shop.core.errors import DomainError
from shop.core.models import OutboxMessage
from social.graph import emails, invite_selectors, invite_services, selectors, services, tasks
from social.graph.errors import GraphError
from social.graph.models import FriendRequest, Invite, Referral
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "newcomer@example.com",
    "username": "newcomer",
    "password1": "a-long-and-unusual-pass",
    "password2": "a-long-and-unusual-pass",
}


@pytest.fixture
def inviter():
    return UserFactory(username="ines", display_name="Inès", email="ines@example.com")


def _link_in_mail(pattern: str) -> str:
    """The path of the last link matching PATTERN in the emails sent so far."""
    links = [
        found.group(0)
        for message in mail.outbox
        for found in re.finditer(rf"https?://[^/\s]+({pattern}\S*)", message.body)
    ]
    return urlsplit(links[-1]).path


def _sign_up_through(client, url, capture):
    with capture(execute=True):
        opened = client.get(url)
        client.post("/accounts/signup/", SIGNUP)
    return opened


def _confirm(client, capture):
    with capture(execute=True):
        client.post(_link_in_mail("/accounts/confirm-email/"))


def test_a_newcomer_through_the_link_is_a_friend_once_the_email_is_verified(
    client, inviter, django_capture_on_commit_callbacks
):
    link = invite_services.invite_link_get_or_create(inviter=inviter)

    opened = _sign_up_through(client, f"/invite/{link.token}/", django_capture_on_commit_callbacks)
    newcomer = Referral.objects.get().newcomer
    friends_before = selectors.is_friend(user=inviter, other=newcomer)
    _confirm(client, django_capture_on_commit_callbacks)

    assert opened.status_code == 302 and opened["Location"] == "/accounts/signup/"
    assert newcomer.username == "newcomer"
    assert not friends_before  # not before the email is verified
    assert selectors.is_friend(user=inviter, other=newcomer)
    assert selectors.is_friend(user=newcomer, other=inviter)
    referral = Referral.objects.get()
    assert (referral.inviter, referral.invite) == (inviter, link)
    assert referral.befriended_at is not None


def test_an_emailed_invite_brings_a_friend_too(client, inviter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite_services.invite_email_send(inviter=inviter, email="newcomer@example.com")

    _sign_up_through(client, _link_in_mail("/invite/"), django_capture_on_commit_callbacks)
    _confirm(client, django_capture_on_commit_callbacks)

    newcomer = Referral.objects.get().newcomer
    assert selectors.is_friend(user=inviter, other=newcomer)
    assert invite_selectors.invite_list(user=inviter).get().accepted


def test_a_signup_without_an_invite_records_nobody(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", SIGNUP)
    _confirm(client, django_capture_on_commit_callbacks)

    assert not Referral.objects.exists()


def test_an_unknown_invite_token_is_a_404(client):
    assert client.get("/invite/not-a-real-token/").status_code == 404


def test_a_signed_in_person_opening_a_link_goes_to_the_inviters_page(client, inviter):
    link = invite_services.invite_link_get_or_create(inviter=inviter)
    client.force_login(UserFactory())

    response = client.get(f"/invite/{link.token}/")

    assert response.status_code == 302
    assert response["Location"] == "/people/ines/"
    assert not Referral.objects.exists()


def test_confirming_again_changes_nothing(inviter):
    newcomer = UserFactory(verified=False)
    link = invite_services.invite_link_get_or_create(inviter=inviter)
    services.referral_record(newcomer=newcomer, token=link.token)

    assert services.referral_befriend(newcomer=newcomer) is True
    assert services.referral_befriend(newcomer=newcomer) is False


def test_a_newcomer_already_verified_is_befriended_at_signup(inviter):
    newcomer = UserFactory()  # verified
    link = invite_services.invite_link_get_or_create(inviter=inviter)

    services.referral_record(newcomer=newcomer, token=link.token)

    assert selectors.is_friend(user=inviter, other=newcomer)


def test_a_block_between_them_stops_the_friendship_not_the_record(inviter):
    newcomer = UserFactory(verified=False)
    link = invite_services.invite_link_get_or_create(inviter=inviter)
    services.referral_record(newcomer=newcomer, token=link.token)
    services.person_block(blocker=inviter, person=newcomer)

    assert services.referral_befriend(newcomer=newcomer) is False
    assert not selectors.is_friend(user=inviter, other=newcomer)
    assert Referral.objects.filter(newcomer=newcomer, befriended_at=None).exists()


def test_a_pending_request_between_them_is_accepted_with_the_invite(inviter):
    newcomer = UserFactory(verified=False)
    services.referral_record(
        newcomer=newcomer, token=invite_services.invite_link_get_or_create(inviter=inviter).token
    )
    services.friend_request_send(sender=newcomer, to=inviter)

    services.referral_befriend(newcomer=newcomer)

    assert FriendRequest.objects.get().status == FriendRequest.Status.ACCEPTED


def test_ones_own_link_records_nothing(inviter):
    link = invite_services.invite_link_get_or_create(inviter=inviter)

    assert services.referral_record(newcomer=inviter, token=link.token) is None


# --- invitation emails ------------------------------------------------------------------------


def test_the_invitation_is_written_to_the_outbox_and_sent_once(
    inviter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite = invite_services.invite_email_send(inviter=inviter, email="Friend@Example.com")

    assert OutboxMessage.objects.get().topic == "email.graph.invite"
    assert len(mail.outbox) == 1
    assert tasks.invite_email_notify(invite_id=invite.pk) is False  # a second run
    assert len(mail.outbox) == 1
    invite.refresh_from_db()
    assert invite.email_status == Invite.EmailStatus.SENT and invite.sent_at


def test_no_email_leaves_before_the_commit(inviter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        invite_services.invite_email_send(inviter=inviter, email="friend@example.com")

        assert mail.outbox == []


def test_someone_who_blocked_the_inviter_gets_no_invitation(
    inviter, django_capture_on_commit_callbacks
):
    blocker = UserFactory(email="blocker@example.com")
    services.person_block(blocker=blocker, person=inviter)

    with django_capture_on_commit_callbacks(execute=True):
        invite = invite_services.invite_email_send(inviter=inviter, email="BLOCKER@example.com")

    assert mail.outbox == []
    invite.refresh_from_db()
    assert invite.email_status == Invite.EmailStatus.WITHHELD


def test_the_same_address_is_invited_once(inviter):
    invite_services.invite_email_send(inviter=inviter, email="friend@example.com")

    with pytest.raises(DomainError) as excinfo:
        invite_services.invite_email_send(inviter=inviter, email="FRIEND@example.com")

    assert excinfo.value.code == GraphError.ALREADY_INVITED
    assert excinfo.value.field == "email"


def test_the_invitation_names_the_inviter_and_carries_the_link(inviter):
    invite = invite_services.invite_email_send(inviter=inviter, email="friend@example.com")
    mail.outbox.clear()

    assert emails.invite_email_deliver(invite_id=invite.pk) is True

    (message,) = mail.outbox
    assert message.subject == "Inès invites you to Agora"
    assert emails.invite_url(invite=invite) in message.body
    html = message.alternatives[0][0]
    assert f'href="{emails.invite_url(invite=invite)}"' in html
    assert "@ines" in message.body
