import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_user_list_filters_by_staff_and_active(admin_client):
    UserFactory(username="former", is_active=False)
    UserFactory(username="current")

    page = admin_client.get("/admin/accounts/user/?is_active__exact=0").content.decode()

    assert "former" in page
    assert ">current<" not in page


def test_user_change_page_shows_the_avatar_read_only(admin_client):
    user = UserFactory()

    response = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    assert 'name="avatar"' not in response.content.decode()
