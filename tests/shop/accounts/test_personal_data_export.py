"""Download my data: the accounts and orders parts, the ZIP task, its email, event and expiry."""

import io
import json
import os
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from shop.accounts import data_services, events, tasks
from shop.accounts.errors import AccountError
from shop.accounts.models import PersonalDataExport
from shop.core import personal_data
from shop.core.errors import DomainError, RateLimitError
from shop.core.models import OutboxMessage
from social.graph import services as graph_services
from tests.factories import AddressFactory, UserFactory, cart_make, friends_make, variant_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(paid_order):
    sam = UserFactory(username="sam", display_name="Sam Sample", bio="Hiker")
    AddressFactory(user=sam, city="Lyon", line1="1 Rue Haute")
    friends_make(sam, UserFactory(username="ana"))
    paid_order(cart_make((variant_make(price=1500, title="Blue tent"), 2)), customer=sam)
    return sam


def zip_parts(export: PersonalDataExport) -> dict[str, dict]:
    with export.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return {
        name.removesuffix(".json"): json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }


def requested(user, django_capture_on_commit_callbacks) -> PersonalDataExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = data_services.personal_data_export_request(user=user)
    export.refresh_from_db()
    return export


def test_accounts_and_orders_register_their_parts():
    names = [part.name for part in personal_data.personal_data_parts()]

    assert {"accounts", "cart", "orders", "graph"} <= set(names)


def test_the_zip_has_a_valid_json_file_per_part_with_orders_addresses_and_friends(
    sam, django_capture_on_commit_callbacks
):
    export = requested(sam, django_capture_on_commit_callbacks)

    assert export.status == "ready"
    parts = zip_parts(export)
    assert set(parts) == {part.name for part in personal_data.personal_data_parts()}
    assert parts["accounts"]["profile"]["display_name"] == "Sam Sample"
    assert parts["accounts"]["addresses"][0]["city"] == "Lyon"
    assert parts["accounts"]["email_addresses"] == [
        {"email": "sam@example.com", "verified": True, "primary": True}
    ]
    order = parts["orders"]["orders"][0]
    assert order["lines"][0]["product"] == "Blue tent"
    assert order["lines"][0]["quantity"] == 2
    assert order["total"] == order["subtotal"] - order["discount"] + order["shipping"]
    assert order["payment"]["status"] == "succeeded"
    assert "card" not in json.dumps(order["payment"])
    assert [friend["username"] for friend in parts["graph"]["friends"]] == ["ana"]


def test_the_cart_part_holds_what_is_in_the_cart_and_erasing_empties_it(sam):
    cart_make((variant_make(price=700, title="Red mug"), 3), user=sam)

    data = personal_data.personal_data_export(user=sam)["cart"]
    personal_data.personal_data_erase(user=sam)

    [line] = data["lines"]
    assert line["product"].startswith("Red mug") and line["quantity"] == 3
    assert personal_data.personal_data_export(user=sam)["cart"]["lines"] == []


def test_the_zip_is_private_not_under_media(sam, django_capture_on_commit_callbacks, settings):
    export = requested(sam, django_capture_on_commit_callbacks)

    path = export.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(NotImplementedError):
        export.file.url  # noqa: B018


def test_the_link_is_emailed_and_the_event_sent(sam, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    events.personal_data_export_ready.connect(receiver)
    try:
        export = requested(sam, django_capture_on_commit_callbacks)
    finally:
        events.personal_data_export_ready.disconnect(receiver)

    assert [message.subject for message in mail.outbox] == ["Your data is ready"]
    assert mail.outbox[0].to == ["sam@example.com"]
    assert f"/settings/data/{export.token}/download/" in mail.outbox[0].body
    assert received == [
        {
            "signal": events.personal_data_export_ready,
            "user_id": sam.pk,
            "export_id": export.pk,
            "url": data_services.export_download_url(export=export),
        }
    ]


def test_the_task_run_twice_builds_one_zip_and_sends_one_email(
    sam, django_capture_on_commit_callbacks, settings
):
    export = requested(sam, django_capture_on_commit_callbacks)
    name = export.file.name

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.personal_data_export_build(export_id=export.pk) is False
        assert tasks.personal_data_export_ready_notify(export_id=export.pk) is False

    export.refresh_from_db()
    assert export.file.name == name
    assert len(list((settings.PRIVATE_MEDIA_ROOT / "personal-data").iterdir())) == 1
    assert len(mail.outbox) == 1


def test_the_build_is_enqueued_through_the_outbox(sam, django_capture_on_commit_callbacks):
    export = requested(sam, django_capture_on_commit_callbacks)

    mine = OutboxMessage.objects.filter(topic__contains="accounts.")
    assert set(mine.values_list("topic", flat=True)) == {
        data_services.EXPORT_BUILD_TOPIC,
        data_services.EXPORT_EMAIL_TOPIC,
    }
    assert not mine.filter(sent_at__isnull=True).exists()
    assert export.status == "ready"


def test_the_link_is_valid_for_seven_days(sam):
    export = data_services.personal_data_export_request(user=sam)
    made = timezone.now() - timedelta(days=3)

    data_services.personal_data_export_build(export_id=export.pk, now=made)

    export.refresh_from_db()
    assert export.expires_at == made + timedelta(days=7)
    assert export.is_downloadable(now=made + timedelta(days=7) - timedelta(seconds=1))
    assert not export.is_downloadable(now=made + timedelta(days=7))


def test_beat_deletes_the_files_of_expired_exports_only(sam, django_capture_on_commit_callbacks):
    old = data_services.personal_data_export_request(user=sam)
    data_services.personal_data_export_build(
        export_id=old.pk, now=timezone.now() - timedelta(days=8)
    )
    fresh = data_services.personal_data_export_request(user=sam)
    data_services.personal_data_export_build(export_id=fresh.pk)
    old.refresh_from_db()
    old_path = old.file.path

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.personal_data_exports_expire() == 1

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == "expired" and not old.file
    assert not os.path.exists(old_path)
    assert not os.path.exists(os.path.dirname(old_path))
    assert fresh.status == "ready" and fresh.file.storage.exists(fresh.file.name)
    assert tasks.personal_data_exports_expire() == 0


def test_a_second_request_while_one_is_pending_is_refused(sam):
    data_services.personal_data_export_request(user=sam)

    with pytest.raises(DomainError) as error:
        data_services.personal_data_export_request(user=sam)

    assert error.value.code == AccountError.EXPORT_PENDING
    assert PersonalDataExport.objects.filter(user=sam).count() == 1


def test_a_fourth_request_in_a_day_is_refused_with_when_to_retry(sam):
    for _ in range(3):
        export = data_services.personal_data_export_request(user=sam)
        data_services.personal_data_export_build(export_id=export.pk)

    with pytest.raises(RateLimitError) as error:
        data_services.personal_data_export_request(user=sam)

    assert error.value.code == AccountError.EXPORT_RATE_LIMITED
    assert "3 times a day" in error.value.message
    assert 0 < error.value.retry_after <= 86400


def test_a_failing_part_marks_the_export_failed_and_a_new_one_can_be_asked(sam, monkeypatch):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setitem(
        personal_data._parts,
        "broken",
        personal_data.PersonalDataPart(name="broken", exporter=broken, eraser=print),
    )
    export = data_services.personal_data_export_request(user=sam)

    assert data_services.personal_data_export_build(export_id=export.pk) is False

    export.refresh_from_db()
    assert export.status == "failed" and not export.file
    assert data_services.personal_data_export_request(user=sam).status == "pending"


def test_a_friend_request_is_exported_by_the_graph_part(sam):
    graph_services.friend_request_send(sender=UserFactory(username="cy"), to=sam)

    data = personal_data.personal_data_export(user=sam)

    assert data["graph"]["friend_requests_received"][0]["from"] == "cy"
