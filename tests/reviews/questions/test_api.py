import pytest

from reviews.questions import services
from reviews.questions.models import Answer, Question
from tests.factories import UserFactory
from tests.reviews.questions.helpers import shop_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return shop_make()


@pytest.fixture
def question(shop):
    question = services.question_ask(author=shop.shopper, product=shop.product, text="Dimmable?")
    services.answer_create(question=question, author=shop.staff, text="Yes, fully.")
    services.answer_create(question=question, author=shop.buyer, text="Mine dims.")
    return question


def _field_codes(response) -> dict[str, list[str]]:
    return {
        field: [error["code"] for error in errors]
        for field, errors in response.json()["errors"].items()
    }


def test_anyone_lists_a_products_questions_with_answers_best_first(api, shop, question):
    buyer_answer = Answer.objects.get(author=shop.buyer)
    services.answer_vote(answer=buyer_answer, voter=shop.shopper, helpful=True)

    response = api.get("/api/v1/questions", {"product": "brass-lamp"})

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["total"], body["pages"], body["may_answer"]) == (1, 1, 1, False)
    (listed,) = body["results"]
    assert listed["text"] == "Dimmable?"
    assert [(a["role"], a["role_label"]) for a in listed["answers"]] == [
        ("buyer", "Verified buyer"),
        ("merchant", "Merchant"),
    ]
    assert listed["answers"][0]["your_vote"] is None


def test_the_list_searches_and_shows_the_viewers_vote(api, shop, question):
    services.question_ask(author=shop.shopper, product=shop.product, text="Which bulb?")
    answer = Answer.objects.get(author=shop.staff)
    services.answer_vote(answer=answer, voter=shop.shopper, helpful=False)
    api.force_authenticate(shop.shopper)

    body = api.get("/api/v1/questions", {"product": "brass-lamp", "q": "fully"}).json()

    assert (body["count"], body["total"]) == (1, 2)
    votes = {a["id"]: a["your_vote"] for a in body["results"][0]["answers"]}
    assert votes[answer.pk] is False


def test_a_search_with_control_characters_looks_for_the_rest(api, shop, question):
    services.question_ask(author=shop.shopper, product=shop.product, text="Which bulb?")

    response = api.get("/api/v1/questions", {"product": "brass-lamp", "q": "\x00bulb"})

    assert response.status_code == 200
    assert [q["text"] for q in response.json()["results"]] == ["Which bulb?"]


@pytest.mark.parametrize("params", [{}, {"product": "no-such-thing"}])
def test_the_list_names_the_product_field_when_it_is_missing_or_unknown(api, shop, params):
    response = api.get("/api/v1/questions", params)

    assert response.status_code == 400
    assert _field_codes(response) == {"product": ["product_not_found"]}


def test_a_signed_in_shopper_asks(api, shop):
    api.force_authenticate(shop.shopper)

    response = api.post(
        "/api/v1/questions", {"product": "brass-lamp", "text": "Bulb included?"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["text"] == "Bulb included?"
    assert Question.objects.get().author == shop.shopper


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"product": "brass-lamp"}, "text"),
        ({"product": "brass-lamp", "text": "x" * 1001}, "text"),
        ({"product": "brass-lamp", "text": "   "}, "text"),
        ({"text": "Bulb?"}, "product"),
        ({"product": "nothing-here", "text": "Bulb?"}, "product"),
    ],
)
def test_asking_with_bad_input_names_the_field(api, shop, payload, field):
    api.force_authenticate(shop.shopper)

    response = api.post("/api/v1/questions", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Question.objects.exists()


def test_a_visitor_may_not_ask(api, shop):
    response = api.post(
        "/api/v1/questions", {"product": "brass-lamp", "text": "Bulb?"}, format="json"
    )

    assert response.status_code in (401, 403)


def test_answers_are_listed_and_a_buyer_answers(api, shop, question):
    listed = api.get(f"/api/v1/questions/{question.pk}/answers")
    api.force_authenticate(shop.buyer)
    response = api.post(
        f"/api/v1/questions/{question.pk}/answers", {"text": "Still works."}, format="json"
    )

    assert [a["text"] for a in listed.json()] == ["Yes, fully.", "Mine dims."]
    assert response.status_code == 201
    assert response.json()["role"] == "buyer"
    assert Answer.objects.filter(author=shop.buyer).count() == 2


def test_someone_who_did_not_buy_is_told_they_may_not_answer(api, shop, question):
    api.force_authenticate(shop.shopper)

    response = api.post(
        f"/api/v1/questions/{question.pk}/answers", {"text": "Dunno."}, format="json"
    )

    assert response.status_code == 400
    assert _field_codes(response) == {"non_field_errors": ["may_not_answer"]}


def test_an_empty_answer_names_the_text_field(api, shop, question):
    api.force_authenticate(shop.staff)

    response = api.post(f"/api/v1/questions/{question.pk}/answers", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["text"]


def test_a_vote_counts_and_changes(api, shop, question):
    answer = Answer.objects.get(author=shop.staff)
    api.force_authenticate(shop.shopper)

    first = api.post(f"/api/v1/answers/{answer.pk}/votes", {"helpful": True}, format="json")
    changed = api.post(f"/api/v1/answers/{answer.pk}/votes", {"helpful": False}, format="json")

    assert (first.json()["helpful_count"], first.json()["your_vote"]) == (1, True)
    assert (changed.json()["helpful_count"], changed.json()["your_vote"]) == (0, False)


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [({}, "helpful", "required"), ({"helpful": "perhaps"}, "helpful", "invalid")],
)
def test_a_bad_vote_names_the_helpful_field(api, shop, question, payload, field, code):
    answer = Answer.objects.get(author=shop.staff)
    api.force_authenticate(shop.shopper)

    response = api.post(f"/api/v1/answers/{answer.pk}/votes", payload, format="json")

    assert response.status_code == 400
    assert _field_codes(response) == {field: [code]}


def test_a_vote_on_ones_own_answer_is_refused(api, shop, question):
    answer = Answer.objects.get(author=shop.staff)
    api.force_authenticate(shop.staff)

    response = api.post(f"/api/v1/answers/{answer.pk}/votes", {"helpful": True}, format="json")

    assert _field_codes(response) == {"non_field_errors": ["own_answer"]}


@pytest.mark.parametrize("path", ["questions/99/answers", "questions/99999999999999999999/answers"])
def test_unknown_questions_are_404(api, shop, path):
    assert api.get(f"/api/v1/{path}").status_code == 404


@pytest.mark.parametrize("n", [5, 50])
def test_the_list_reads_in_constant_queries(api, shop, django_assert_num_queries, n):
    # Several askers: one person may ask only so many a day (QUESTIONS_PER_DAY).
    askers = UserFactory.create_batch(5, verified=False)
    for number in range(n):
        question = services.question_ask(
            author=askers[number % 5], product=shop.product, text=f"Question {number}?"
        )
        services.answer_create(question=question, author=shop.staff, text="Yes.")
        services.answer_create(question=question, author=shop.buyer, text="Indeed.")

    # product, count, questions, answers, whose names the visitor may read
    with django_assert_num_queries(5):
        response = api.get("/api/v1/questions", {"product": "brass-lamp"})

    assert len(response.json()["results"]) == min(n, 10)


def test_too_many_questions_answer_429_with_retry_after(api, shop, monkeypatch):
    monkeypatch.setattr(services, "QUESTIONS_PER_DAY", 1)
    api.force_authenticate(shop.shopper)
    api.post("/api/v1/questions", {"product": "brass-lamp", "text": "One?"}, format="json")

    response = api.post(
        "/api/v1/questions", {"product": "brass-lamp", "text": "Two?"}, format="json"
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert _field_codes(response) == {"detail": ["rate_limited"]}
