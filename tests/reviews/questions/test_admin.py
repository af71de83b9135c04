"""Questions in admin: merchant staff list their own merchant's questions (answered or not),
answer them there as "Merchant", and never see another merchant's."""

import pytest

from reviews.questions import services
from reviews.questions.models import Answer, Question
from social.notifications.models import Notification
from tests.factories import MerchantFactory, ProductFactory
from tests.reviews.questions.helpers import shop_make

pytestmark = pytest.mark.django_db

LIST = "/admin/questions/question/"


@pytest.fixture
def shop():
    return shop_make()


@pytest.fixture
def questions(shop):
    answered = services.question_ask(author=shop.shopper, product=shop.product, text="Heavy?")
    services.answer_create(question=answered, author=shop.buyer, text="Not at all.")
    unanswered = services.question_ask(author=shop.shopper, product=shop.product, text="Bulb?")
    elsewhere = services.question_ask(
        author=shop.shopper,
        product=ProductFactory(merchant=MerchantFactory(name="Other shop")),
        text="Waterproof?",
    )
    return answered, unanswered, elsewhere


def _answer(client, question, text):
    """Post the question's admin page as a browser does (with its answers' management form)."""
    count = str(question.answers.count())
    return client.post(
        f"{LIST}{question.pk}/change/",
        {
            "answer": text,
            "answers-TOTAL_FORMS": count,
            "answers-INITIAL_FORMS": count,
            "answers-MIN_NUM_FORMS": "0",
            "answers-MAX_NUM_FORMS": "1000",
        },
    )


def _ids(response) -> set[int]:
    return {question.pk for question in response.context["cl"].result_list}


def test_staff_see_only_their_own_merchants_questions(client, shop, questions):
    answered, unanswered, _ = questions
    client.force_login(shop.staff)

    response = client.get(LIST)

    assert response.status_code == 200
    assert _ids(response) == {answered.pk, unanswered.pk}


def test_staff_filter_unanswered_and_answered_questions(client, shop, questions):
    answered, unanswered, _ = questions
    client.force_login(shop.staff)

    assert _ids(client.get(LIST, {"answered": "no"})) == {unanswered.pk}
    assert _ids(client.get(LIST, {"answered": "yes"})) == {answered.pk}


def test_the_operator_sees_every_merchants_questions(operator_client, questions):
    assert _ids(operator_client.get(LIST)) == {question.pk for question in questions}


def test_staff_answer_from_admin_as_the_merchant(client, shop, questions):
    _, unanswered, _ = questions
    client.force_login(shop.staff)

    response = _answer(client, unanswered, "An E27 bulb is in.")

    assert response.status_code == 302
    answer = Answer.objects.get(question=unanswered)
    assert (answer.author, answer.role, answer.text) == (
        shop.staff,
        Answer.Role.MERCHANT,
        "An E27 bulb is in.",
    )
    assert Notification.objects.filter(
        recipient=shop.shopper, kind="question_answered", target_id=unanswered.pk
    ).exists()
    question = Question.objects.get(pk=unanswered.pk)
    assert (question.text, question.answer_count) == ("Bulb?", 1)
    # The list's filter follows.
    assert _ids(client.get(LIST, {"answered": "no"})) == set()


def test_saving_without_an_answer_changes_nothing(client, shop, questions):
    _, unanswered, _ = questions
    client.force_login(shop.staff)

    response = _answer(client, unanswered, "  ")

    assert response.status_code == 302
    assert not Answer.objects.filter(question=unanswered).exists()


def test_staff_cannot_open_nor_answer_another_merchants_question(client, shop, questions):
    *_, elsewhere = questions
    client.force_login(shop.staff)

    opened = client.get(f"{LIST}{elsewhere.pk}/change/")
    posted = _answer(client, elsewhere, "Sure.")

    # The admin says the object does not exist and goes back to its index.
    assert opened.status_code == 302 and posted.status_code == 302
    assert not Answer.objects.filter(question=elsewhere).exists()


def test_an_operator_who_is_not_the_merchant_answers_as_the_merchant(operator_client, questions):
    _, unanswered, _ = questions

    _answer(operator_client, unanswered, "Yes.")

    assert Answer.objects.get(question=unanswered).role == Answer.Role.MERCHANT


def test_questions_are_not_added_in_admin(client, shop):
    client.force_login(shop.staff)

    assert client.get(f"{LIST}add/").status_code == 403
