"""Delete my account: the password is checked, then no page or endpoint shows the person;
orders stay for the accounts, with placeholders for name, email, phone and address."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from rest_framework.authtoken.models import Token

from shop.accounts import data_services
from shop.accounts.errors import AccountError
from shop.accounts.models import Address, PersonalDataExport, User
from shop.core.errors import DomainError
from shop.orders.models import Order
from social.graph import invite_services
from social.graph import services as graph_services
from social.graph.models import Follow, FriendRequest, Friendship, Invite
from tests.factories import (
    DEFAULT_PASSWORD,
    AddressFactory,
    MerchantFactory,
    UserFactory,
    cart_make,
    friends_make,
    privacy_set,
    variant_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(paid_order):
    """Someone with friends, requests both ways, an invite, an address, an order and a token."""
    sam = UserFactory(username="sam", display_name="Sam Sample", bio="Hiker")
    # Fixed names: a random one ("Samuel Ortiz") would be found by the searches for "sam".
    ana, ben, cy = (
        UserFactory(username=name, display_name=name.title()) for name in ("ana", "ben", "cy")
    )
    friends_make(sam, ana)
    privacy_set(ana, friends_list="public")
    privacy_set(sam, profile="public")
    graph_services.friend_request_send(sender=sam, to=ben)
    graph_services.friend_request_send(sender=cy, to=sam)
    graph_services.person_follow(follower=ben, person=sam)
    invite_services.invite_email_send(inviter=sam, email="pal@example.com")
    AddressFactory(user=sam)
    paid_order(cart_make((variant_make(price=1500), 2), (variant_make(price=990), 1)), customer=sam)
    Token.objects.create(user=sam)
    return sam


def delete(user, django_capture_on_commit_callbacks, password=DEFAULT_PASSWORD):
    with django_capture_on_commit_callbacks(execute=True):
        data_services.account_delete(user=user, password=password)


def test_a_wrong_password_keeps_everything(sam):
    with pytest.raises(DomainError) as error:
        data_services.account_delete(user=sam, password="not-my-password")

    assert error.value.code == AccountError.WRONG_PASSWORD
    assert error.value.field == "password"
    sam.refresh_from_db()
    assert sam.is_active and sam.username == "sam" and sam.display_name == "Sam Sample"
    assert sam.friendships.count() == 1
    assert Address.objects.filter(user=sam).exists()
    assert Order.objects.get(customer=sam).ship_full_name != "Deleted user"


def test_deletion_anonymises_the_person_and_removes_their_social_data(
    sam, django_capture_on_commit_callbacks
):
    delete(sam, django_capture_on_commit_callbacks)

    sam.refresh_from_db()
    assert sam.username.startswith("deleted-")
    assert sam.display_name == "Deleted user"
    assert sam.email.endswith("@deleted.invalid")
    assert sam.bio == "" and not sam.avatar
    assert not sam.is_active and not sam.has_usable_password()
    assert not EmailAddress.objects.filter(user=sam).exists()
    assert not Address.objects.filter(user=sam).exists()
    assert not Token.objects.filter(user=sam).exists()
    assert not Friendship.objects.filter(friend=sam).exists()
    assert not FriendRequest.objects.filter(to_user=sam).exists()
    assert not FriendRequest.objects.filter(from_user=sam).exists()
    assert not Follow.objects.filter(person=sam).exists()
    assert not Invite.objects.filter(inviter=sam).exists()


def test_orders_are_kept_with_placeholders_and_still_add_up(
    sam, django_capture_on_commit_callbacks
):
    order = Order.objects.get(customer=sam)
    total = order.total

    delete(sam, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.customer_id == sam.pk
    assert order.email.endswith("@deleted.invalid")
    assert order.ship_full_name == "Deleted user"
    assert "sam" not in order.email
    assert order.ship_phone == "" and order.ship_city == "" and order.ship_postal_code == ""
    assert order.total == total == 2 * 1500 + 990 + order.shipping_total
    assert sum(line.line_total for line in order.lines.all()) == order.subtotal


def test_the_former_address_gets_a_last_email(sam, django_capture_on_commit_callbacks):
    mail.outbox.clear()

    delete(sam, django_capture_on_commit_callbacks)

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Your account is deleted", ["sam@example.com"])
    ]


def test_staff_and_merchant_staff_are_refused(sam):
    merchant_person = UserFactory()
    MerchantFactory().staff.add(merchant_person)

    for person in (UserFactory(is_staff=True), merchant_person):
        with pytest.raises(DomainError) as error:
            data_services.account_delete(user=person, password=DEFAULT_PASSWORD)
        assert error.value.code == AccountError.STAFF_ACCOUNT
        person.refresh_from_db()
        assert person.is_active


def test_their_data_exports_and_files_go_too(sam, django_capture_on_commit_callbacks):
    export = data_services.personal_data_export_request(user=sam)
    data_services.personal_data_export_build(export_id=export.pk)
    export.refresh_from_db()
    storage, name = export.file.storage, export.file.name

    delete(sam, django_capture_on_commit_callbacks)

    assert not PersonalDataExport.objects.filter(user=sam).exists()
    assert not storage.exists(name)


# --- after deletion, no page or endpoint shows the person ------------------------------------


@pytest.fixture
def deleted(sam, django_capture_on_commit_callbacks):
    delete(sam, django_capture_on_commit_callbacks)
    sam.refresh_from_db()
    return sam


def test_their_profile_page_is_gone(client, deleted):
    assert client.get("/people/sam/").status_code == 404
    assert client.get(f"/people/{deleted.username}/").status_code == 404


def test_former_friends_no_longer_list_them(client, api, deleted):
    ana = User.objects.get(username="ana")
    client.force_login(ana)
    api.force_authenticate(ana)

    page = client.get("/friends/").content.decode()
    assert "Sam Sample" not in page and deleted.username not in page
    assert api.get("/api/v1/friends").json()["count"] == 0
    assert api.get("/api/v1/people/ana/friends").json()["count"] == 0


def test_people_search_does_not_find_them(api, deleted):
    api.force_authenticate(User.objects.get(username="ana"))

    for query in ("sam", "Sam Sample", deleted.username, "Deleted user"):
        assert api.get("/api/v1/people", {"q": query}).json()["count"] == 0


def test_friend_requests_to_and_from_them_are_gone(client, api, deleted):
    for name, direction in (("ben", "received"), ("cy", "sent")):
        person = User.objects.get(username=name)
        api.force_authenticate(person)
        assert api.get("/api/v1/friend-requests", {"direction": direction}).json()["count"] == 0
        client.force_login(person)
        assert "Sam Sample" not in client.get("/friends/").content.decode()


def test_their_old_token_and_session_no_longer_work(
    api, client, sam, django_capture_on_commit_callbacks
):
    token = Token.objects.get(user=sam).key
    client.force_login(sam)

    delete(sam, django_capture_on_commit_callbacks)

    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {token}").status_code in (401, 403)
    assert client.get("/accounts/profile/").status_code == 302


def test_the_admin_still_shows_their_orders_with_placeholders(operator_client, deleted):
    order = Order.objects.get(customer=deleted)

    listing = operator_client.get("/admin/orders/order/")
    detail = operator_client.get(f"/admin/orders/order/{order.pk}/change/")

    assert order.number in listing.content.decode()
    page = detail.content.decode()
    assert detail.status_code == 200
    assert "Deleted user" in page and "Sam Sample" not in page and "sam@example.com" not in page
