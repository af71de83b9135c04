"""/settings/data/, its download links, /settings/delete/, and the API twins of both."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.accounts import data_services
from shop.accounts.models import PersonalDataExport, User
from tests.factories import DEFAULT_PASSWORD, MerchantFactory, UserFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def sam(client):
    sam = UserFactory(username="sam", display_name="Sam Sample")
    client.force_login(sam)
    return sam


def ready_export(user, *, now=None) -> PersonalDataExport:
    export = data_services.personal_data_export_request(user=user)
    data_services.personal_data_export_build(export_id=export.pk, now=now)
    export.refresh_from_db()
    return export


def test_the_page_explains_and_offers_the_request(client, sam):
    page = client.get("/settings/data/").content.decode()

    assert "<h1>Your data</h1>" in page
    assert "What is in it" in page and "orders.json" in page and "accounts.json" in page
    assert "Request my data" in page
    assert "You have not asked for your data yet." in page
    assert 'href="/settings/delete/"' in page


def test_requesting_shows_the_ready_export_with_its_download_link(
    client, sam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/settings/data/")
    response = client.get("/settings/data/")

    export = PersonalDataExport.objects.get(user=sam)
    page = response.content.decode()
    assert "We are preparing your data" in " ".join(messages_of(response))
    assert f'href="/settings/data/{export.token}/download/"' in page
    assert "Ready" in page


def test_the_download_gives_the_zip_to_its_owner(client, sam):
    export = ready_export(sam)

    response = client.get(f"/settings/data/{export.token}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_another_persons_export_is_not_found(client, sam):
    export = ready_export(UserFactory())

    assert client.get(f"/settings/data/{export.token}/download/").status_code == 404


def test_a_visitor_is_asked_to_log_in(client, sam):
    export = ready_export(sam)
    client.logout()

    response = client.get(f"/settings/data/{export.token}/download/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_expired_link_answers_410_saying_to_ask_again(client, sam):
    export = ready_export(sam, now=timezone.now() - timedelta(days=7, seconds=1))

    response = client.get(f"/settings/data/{export.token}/download/")

    assert response.status_code == 410
    assert "Request your data again" in response.content.decode()
    page = client.get("/settings/data/").content.decode()
    assert f"/settings/data/{export.token}/download/" not in page
    assert "The link has expired" in page


def test_a_second_request_while_pending_says_so(client, sam):
    client.post("/settings/data/")  # eager Celery runs only on commit; none here: it waits
    PersonalDataExport.objects.filter(user=sam).update(status="pending")

    response = client.post("/settings/data/", follow=True)

    assert "already being prepared" in " ".join(messages_of(response))
    assert PersonalDataExport.objects.filter(user=sam).count() == 1


def test_the_fourth_request_of_the_day_is_refused_with_a_clear_message(client, sam):
    for _ in range(3):
        ready_export(sam)

    response = client.post("/settings/data/", follow=True)

    assert "3 times a day" in " ".join(messages_of(response))
    assert PersonalDataExport.objects.filter(user=sam).count() == 3


@pytest.mark.parametrize("count", [2, 20])
def test_the_page_queries_do_not_grow_with_exports(client, sam, django_assert_num_queries, count):
    PersonalDataExport.objects.bulk_create(
        [
            PersonalDataExport(user=sam, status="ready", expires_at=timezone.now(), token=f"t{i}")
            for i in range(count)
        ]
    )

    # the session with its user and the header's badges, exports, the header's categories
    with django_assert_num_queries(3):
        assert client.get("/settings/data/").status_code == 200


def test_the_profile_page_links_to_both_pages(client, sam):
    page = client.get("/accounts/profile/").content.decode()

    assert 'href="/settings/data/"' in page and 'href="/settings/delete/"' in page


# --- /settings/delete/ ------------------------------------------------------------------------


def test_the_delete_page_explains_and_asks_for_the_password(client, sam):
    page = client.get("/settings/delete/").content.decode()

    assert "<h1>Delete your account</h1>" in page
    assert "Your orders are kept" in page
    assert 'type="password"' in page and 'type="checkbox"' in page


def test_a_wrong_password_is_shown_beside_the_field_and_nothing_changes(client, sam):
    response = client.post("/settings/delete/", {"password": "nope", "confirm": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["Wrong password."]
    assert User.objects.get(pk=sam.pk).is_active


def test_the_box_must_be_ticked(client, sam):
    response = client.post("/settings/delete/", {"password": DEFAULT_PASSWORD})

    assert "confirm" in response.context["form"].errors
    assert User.objects.get(pk=sam.pk).is_active


def test_deleting_logs_out_and_says_so_on_the_home_page(
    client, sam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/settings/delete/", {"password": DEFAULT_PASSWORD, "confirm": "on"}, follow=True
        )

    assert response.redirect_chain[-1][0] == "/"
    assert any("Your account is deleted" in m for m in messages_of(response))
    assert not response.wsgi_request.user.is_authenticated
    assert not User.objects.get(pk=sam.pk).is_active
    assert client.login(username="sam", password=DEFAULT_PASSWORD) is False


def test_merchant_staff_are_told_an_administrator_removes_them(client):
    person = UserFactory()
    MerchantFactory().staff.add(person)
    client.force_login(person)

    page = client.get("/settings/delete/").content.decode()
    client.post("/settings/delete/", {"password": DEFAULT_PASSWORD, "confirm": "on"})

    assert "ask an administrator" in page and 'type="password"' not in page
    assert User.objects.get(pk=person.pk).is_active


# --- the API ----------------------------------------------------------------------------------


def test_api_post_export_answers_202_and_get_lists_it_with_its_download_url(
    api, sam, django_capture_on_commit_callbacks
):
    api.force_authenticate(sam)

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/me/export")
    listed = api.get("/api/v1/me/export")

    assert created.status_code == 202
    assert created.json()["status"] in ("pending", "ready")
    [export] = listed.json()
    assert export["id"] == created.json()["id"]
    assert export["status"] == "ready"
    assert export["download_url"].endswith(
        f"/settings/data/{PersonalDataExport.objects.get().token}/download/"
    )


def test_api_export_limits_answer_400_then_429(api, sam):
    api.force_authenticate(sam)
    api.post("/api/v1/me/export")
    PersonalDataExport.objects.update(status="pending")

    pending = api.post("/api/v1/me/export")
    PersonalDataExport.objects.update(status="ready")
    api.post("/api/v1/me/export")
    PersonalDataExport.objects.update(status="ready")
    api.post("/api/v1/me/export")
    PersonalDataExport.objects.update(status="ready")
    limited = api.post("/api/v1/me/export")

    assert pending.status_code == 400
    assert pending.json()["errors"]["non_field_errors"][0]["code"] == "export_pending"
    assert limited.status_code == 429 and "Retry-After" in limited
    assert limited.json()["errors"]["detail"][0]["code"] == "export_rate_limited"


def test_api_exports_of_others_are_not_listed(api, sam):
    ready_export(UserFactory())
    api.force_authenticate(sam)

    assert api.get("/api/v1/me/export").json() == []


@pytest.mark.parametrize("body", [{"password": "nope"}, {}])
def test_api_delete_me_needs_the_password(api, sam, body):
    api.force_authenticate(sam)

    response = api.delete("/api/v1/me", body, format="json")

    assert response.status_code == 400
    assert "password" in response.json()["errors"]
    assert User.objects.get(pk=sam.pk).is_active


def test_api_delete_me_answers_204_and_the_account_is_gone(api, sam):
    api.force_authenticate(sam)

    response = api.delete("/api/v1/me", {"password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 204
    assert not User.objects.get(pk=sam.pk).is_active
    assert api.get("/api/v1/people/sam").status_code == 404
