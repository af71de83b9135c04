import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from reviews.models import Review, ReviewReply
from shop.catalog.services import merchant_staff_add
from tests.factories import MerchantFactory, ProductFactory, UserFactory
from tests.reviews.helpers import aggregates, review_write

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/reviews/review/"


def _action(client, action: str, reviews, **data):
    post = {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in reviews], **data}
    return client.post(CHANGELIST, post)


@pytest.fixture
def alpha():
    return MerchantFactory(name="Alpha")


@pytest.fixture
def staff_client(client, alpha):
    staff = UserFactory(username="alpha-staff")
    merchant_staff_add(merchant=alpha, user=staff)
    client.force_login(staff)
    return client


def test_the_operator_hides_a_review_with_a_reason(operator_client):
    review = review_write(UserFactory(), ProductFactory(), rating=1)
    prefix = f"review-{review.pk}"

    asked = _action(operator_client, "hide", [review])
    done = _action(operator_client, "hide", [review], apply="1", **{f"{prefix}-reason": "Spam"})

    assert asked.status_code == 200 and "Spam" not in asked.content.decode()
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.is_hidden and review.hidden_reason == "Spam"
    assert aggregates(review.product)["rating_count"] == 0


def test_the_queue_lists_reported_reviews(operator_client):
    reported = review_write(UserFactory(), ProductFactory(), title="Reported")
    Review.objects.filter(pk=reported.pk).update(needs_moderation=True, report_count=1)
    review_write(UserFactory(), ProductFactory(), title="Fine")

    response = operator_client.get(CHANGELIST, {"needs_moderation__exact": "1"})

    assert [r.title for r in response.context["cl"].result_list] == ["Reported"]


def test_the_change_page_shows_the_edit_history(operator_client):
    from reviews import services

    ana = UserFactory()
    review = review_write(ana, ProductFactory(), title="First words")
    services.review_update(
        author=ana, review_id=review.pk, data=services.ReviewInput(rating=3, title="New", body="b")
    )

    response = operator_client.get(f"{CHANGELIST}{review.pk}/change/")

    assert "First words" in response.content.decode()


def test_merchant_staff_see_and_reply_to_their_products_reviews_only(staff_client, alpha):
    ours = review_write(UserFactory(), ProductFactory(merchant=alpha), title="Ours")
    theirs = review_write(UserFactory(), ProductFactory(), title="Theirs")

    listed = staff_client.get(CHANGELIST).context["cl"].result_list
    _action(staff_client, "reply", [ours], apply="1", **{f"review-{ours.pk}-body": "Thanks!"})
    _action(staff_client, "reply", [theirs], apply="1", **{f"review-{theirs.pk}-body": "Hi"})

    assert [r.title for r in listed] == ["Ours"]
    assert ReviewReply.objects.get().review == ours
    assert not ReviewReply.objects.filter(review=theirs).exists()


def test_merchant_staff_cannot_hide_reviews(staff_client, alpha):
    review = review_write(UserFactory(), ProductFactory(merchant=alpha))

    _action(staff_client, "hide", [review], apply="1", **{f"review-{review.pk}-reason": "Bad"})

    review.refresh_from_db()
    assert not review.is_hidden


@pytest.mark.parametrize("n", [5, 50])
def test_the_changelist_queries_do_not_grow_with_reviews(
    operator_client, django_assert_num_queries, n
):
    product = ProductFactory()
    for _ in range(n):
        review_write(UserFactory(verified=False), product)

    # the session with its user, count, total count, reviews (product, author, reply), the admin's
    # recent actions
    with django_assert_num_queries(5):
        response = operator_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == n
