import pytest

from reviews.questions import services
from reviews.questions.models import Answer, Question
from tests.factories import UserFactory
from tests.html import html
from tests.reviews.questions.helpers import shop_make

pytestmark = pytest.mark.django_db

URL = "/products/brass-lamp/questions/"


@pytest.fixture
def shop():
    return shop_make()


@pytest.fixture
def question(shop):
    question = services.question_ask(author=shop.shopper, product=shop.product, text="Dimmable?")
    services.answer_create(question=question, author=shop.staff, text="Yes, fully.")
    services.answer_create(question=question, author=shop.buyer, text="Mine dims.")
    return question


def test_the_product_page_links_its_questions_for_every_visitor(client, shop):
    response = client.get("/products/brass-lamp/")

    section = html(response).one("section", id="questions")
    assert section.one("h2").text == "Questions and answers"
    assert section.one("div", id="questions-body").attrs["hx-get"] == URL
    assert section.one("a").attrs["href"] == URL


def test_the_questions_page_shows_answers_marked_merchant_or_verified_buyer(client, question):
    response = client.get(URL)

    doc = html(response)
    assert doc.one("h1").text == "Questions about Brass Lamp"
    (item,) = doc.all("li", cls="question")
    assert item.one("h3").text == "Question: Dimmable?"
    badges = [badge.text for badge in item.all("span", cls="answer__badge")]
    assert badges == ["Merchant", "Verified buyer"]


def test_htmx_gets_the_section_alone(client, question):
    response = client.get(URL, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "<html" not in body and 'id="questions-body"' in body
    assert "Yes, fully." in body
    assert "HX-Request" in response["Vary"]


def test_the_search_box_keeps_the_matching_questions(client, shop, question):
    services.question_ask(author=shop.shopper, product=shop.product, text="Which bulb?")

    doc = html(client.get(URL, {"q": "bulb"}))

    assert [h.text for h in doc.all("h3", cls="question__text")] == ["Question: Which bulb?"]
    assert doc.one("p", cls="questions__summary").text == "1 of 2 questions match “bulb”."
    # Not a second "Search" beside the header's product search: it says what it searches.
    assert doc.one("form", cls="questions__search").one("button").text == "Search questions"


def test_a_search_with_control_characters_looks_for_the_rest(client, shop, question):
    services.question_ask(author=shop.shopper, product=shop.product, text="Which bulb?")

    response = client.get(URL, {"q": "bu\x00lb\x07"})

    assert response.status_code == 200
    doc = html(response)
    assert [h.text for h in doc.all("h3", cls="question__text")] == ["Question: Which bulb?"]


def test_a_signed_in_shopper_asks_and_comes_back_to_their_question(client, shop):
    client.force_login(shop.shopper)

    response = client.post(URL, {"text": "Does it come with a bulb?"})

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?asked=1#question-{question.pk}"
    assert "your question is posted" in client.get(response["Location"]).content.decode()


def test_a_visitor_is_sent_to_log_in_to_ask(client, shop):
    response = client.post(URL, {"text": "Does it come with a bulb?"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Question.objects.exists()


def test_an_empty_question_is_refused_on_the_form(client, shop):
    client.force_login(shop.shopper)

    response = client.post(URL, {"text": "  "})

    assert response.status_code == 400
    assert html(response).one("div", cls="field--error").one("textarea").attrs["name"] == "text"
    assert not Question.objects.exists()


def test_only_the_seller_and_buyers_get_an_answer_form(client, shop, question):
    client.force_login(shop.shopper)
    assert not html(client.get(URL)).all("details", cls="question__answer")

    client.force_login(shop.buyer)
    assert html(client.get(URL)).all("details", cls="question__answer")


def test_each_answer_form_posts_with_a_button_naming_its_question(client, shop, question):
    """Two questions' forms are not two buttons both called "Post answer"."""
    services.question_ask(author=shop.shopper, product=shop.product, text="Which bulb?")
    client.force_login(shop.staff)

    buttons = [
        f.one("button").text for f in html(client.get(URL)).all("details", cls="question__answer")
    ]

    assert sorted(buttons) == ["Post answer to “Dimmable?”", "Post answer to “Which bulb?”"]


def test_someone_who_did_not_buy_may_not_answer(client, shop, question):
    client.force_login(shop.shopper)

    response = client.post(f"/questions/{question.pk}/answers/", {"text": "I guess so"})

    assert response.status_code == 403
    assert "Only the seller and people who bought" in response.content.decode()
    assert Answer.objects.count() == 2


def test_staff_answer_from_the_page(client, shop):
    question = services.question_ask(author=shop.shopper, product=shop.product, text="Bulb?")
    client.force_login(shop.staff)

    response = client.post(f"/questions/{question.pk}/answers/", {"text": "An E27 one."})

    assert response["Location"] == f"{URL}#question-{question.pk}"
    assert Answer.objects.get().role == Answer.Role.MERCHANT


def test_a_vote_moves_the_count_and_shows_pressed(client, shop, question):
    answer = Answer.objects.get(author=shop.staff)
    client.force_login(shop.shopper)

    response = client.post(f"/answers/{answer.pk}/vote/", {"helpful": "1"})

    assert response["Location"] == f"{URL}#answer-{answer.pk}"
    answer.refresh_from_db()
    assert answer.helpful_count == 1
    item = html(client.get(URL)).one("li", id=f"answer-{answer.pk}")
    assert item.one("span", cls="answer__count").text == "1 found this helpful"
    pressed = [
        (b.text, b.attrs["aria-label"])
        for b in item.all("button")
        if b.attrs.get("aria-pressed") == "true"
    ]
    assert pressed == [("Helpful", "Helpful: Yes, fully.")]


def test_a_vote_on_ones_own_answer_is_refused(client, shop, question):
    answer = Answer.objects.get(author=shop.staff)
    client.force_login(shop.staff)

    response = client.post(f"/answers/{answer.pk}/vote/", {"helpful": "1"})

    assert response.status_code == 400


def test_unknown_questions_and_answers_are_404(client, shop):
    client.force_login(shop.shopper)

    assert client.get("/products/nothing/questions/").status_code == 404
    assert client.post("/questions/999/answers/", {"text": "x"}).status_code == 404
    assert client.post("/answers/999/vote/", {"helpful": "1"}).status_code == 404


def _questions(shop, n):
    # Several askers: one person may ask only so many a day (QUESTIONS_PER_DAY).
    askers = UserFactory.create_batch(5, verified=False)
    for number in range(n):
        question = services.question_ask(
            author=askers[number % 5], product=shop.product, text=f"Question {number}?"
        )
        services.answer_create(question=question, author=shop.staff, text="Yes.")
        services.answer_create(question=question, author=shop.buyer, text="Indeed.")


@pytest.mark.parametrize("n", [5, 50])
def test_the_questions_page_reads_in_constant_queries_for_a_visitor(
    client, shop, django_assert_num_queries, n
):
    _questions(shop, n)

    # product, count, questions, answers, whose names the visitor may read
    with django_assert_num_queries(5):
        response = client.get(URL, HTTP_HX_REQUEST="true")

    assert response.content.decode().count('class="answer"') == 2 * min(n, 10)


@pytest.mark.parametrize("n", [5, 50])
def test_the_questions_page_reads_in_constant_queries_signed_in(
    client, shop, django_assert_num_queries, n
):
    _questions(shop, n)
    client.force_login(UserFactory())

    # product, the session with its user, count, questions, answers, votes, staff?, bought?, names,
    # and the page's frame: the category menu, the bell's and the Friends badge's counts (one query)
    with django_assert_num_queries(10):
        response = client.get(URL)

    assert response.content.decode().count('class="answer"') == 2 * min(n, 10)


def test_a_shopper_past_the_days_questions_is_told_on_the_form(client, shop, monkeypatch):
    monkeypatch.setattr(services, "QUESTIONS_PER_DAY", 1)
    client.force_login(shop.shopper)
    client.post(URL, {"text": "One?"})

    response = client.post(URL, {"text": "Two?"})

    assert response.status_code == 400
    ask = html(response).one("div", cls="questions__ask")
    assert "1 questions in the last 24 hours" in ask.one("div", role="alert").text
    assert Question.objects.count() == 1
