import pytest

from reviews.questions import selectors, services
from social.graph.services import person_block
from tests.factories import UserFactory, purchases_make
from tests.reviews.questions.helpers import shop_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return shop_make()


def _answered(shop, text, *answers):
    question = services.question_ask(author=shop.shopper, product=shop.product, text=text)
    return question, [
        services.answer_create(question=question, author=author, text=words)
        for author, words in answers
    ]


def test_answers_come_best_first(shop):
    question, (staff, buyer) = _answered(
        shop, "Is it heavy?", (shop.staff, "About 2 kg."), (shop.buyer, "Light enough.")
    )
    for voter in UserFactory.create_batch(2):
        services.answer_vote(answer=buyer, voter=voter, helpful=True)

    (listed,) = selectors.question_list(product=shop.product)

    assert [answer.pk for answer in listed.answers.all()] == [buyer.pk, staff.pk]


def test_answered_questions_come_before_unanswered_ones(shop):
    answered, _ = _answered(shop, "Is it heavy?", (shop.staff, "About 2 kg."))
    unanswered, _ = _answered(shop, "Which bulb?")

    listed = list(selectors.question_list(product=shop.product))

    assert [question.pk for question in listed] == [answered.pk, unanswered.pk]


def test_search_finds_words_in_questions_and_in_answers(shop):
    in_question, _ = _answered(shop, "Is the cable long?")
    in_answer, _ = _answered(shop, "Is it heavy?", (shop.staff, "No, and the CABLE is 2 m."))
    _answered(shop, "Which bulb?")

    found = selectors.question_page(product=shop.product, q="cable")

    assert {question.pk for question in found.questions} == {in_question.pk, in_answer.pk}
    assert (found.page.paginator.count, found.total) == (2, 3)


def test_questions_come_a_page_at_a_time(shop):
    for number in range(selectors.PAGE_SIZE + 3):
        _answered(shop, f"Question {number}?")

    first = selectors.question_page(product=shop.product, number=1)
    second = selectors.question_page(product=shop.product, number=2)

    assert len(first.questions) == selectors.PAGE_SIZE
    assert [question.text for question in second.questions] == [
        "Question 2?",
        "Question 1?",
        "Question 0?",
    ]


def test_a_viewer_does_not_see_the_questions_nor_answers_of_someone_blocked(shop):
    _answered(shop, "Is it heavy?", (shop.buyer, "Light enough."), (shop.staff, "2 kg."))
    viewer = UserFactory()
    person_block(blocker=viewer, person=shop.buyer)
    person_block(blocker=shop.shopper, person=viewer)

    assert selectors.question_list(product=shop.product, viewer=viewer).count() == 0
    (question,) = selectors.question_list(product=shop.product, viewer=shop.shopper)
    assert len(question.answers.all()) == 2


def test_answers_hidden_from_a_viewer_who_blocked_their_author(shop):
    _answered(shop, "Is it heavy?", (shop.buyer, "Light enough."), (shop.staff, "2 kg."))
    person_block(blocker=shop.shopper, person=shop.buyer)

    (question,) = selectors.question_list(product=shop.product, viewer=shop.shopper)

    assert [answer.text for answer in question.answers.all()] == ["2 kg."]


def test_the_page_holds_the_viewers_votes_and_whether_they_may_answer(shop):
    _, (answer,) = _answered(shop, "Is it heavy?", (shop.staff, "2 kg."))
    services.answer_vote(answer=answer, voter=shop.buyer, helpful=False)

    page = selectors.question_page(product=shop.product, viewer=shop.buyer)
    shopper_page = selectors.question_page(product=shop.product, viewer=shop.shopper)

    assert page.votes == {answer.pk: False}
    assert (page.may_answer, shopper_page.may_answer) == (True, False)


@pytest.mark.parametrize("n", [5, 50])
def test_a_page_of_questions_reads_in_constant_queries(shop, django_assert_num_queries, n):
    # Several askers: one person may ask only so many a day (QUESTIONS_PER_DAY).
    askers = UserFactory.create_batch(5, verified=False)
    for number in range(n):
        question = services.question_ask(
            author=askers[number % 5], product=shop.product, text=f"Question {number}?"
        )
        services.answer_create(question=question, author=shop.staff, text="Yes.")
        services.answer_create(question=question, author=shop.buyer, text="Indeed.")
    buyer = UserFactory()
    purchases_make(buyer, [shop.product])

    # count, questions, answers, the viewer's votes, whether they may answer (staff, bought),
    # whose names they may read
    with django_assert_num_queries(7):
        page = selectors.question_page(product=shop.product, viewer=buyer)
        assert sum(len(q.answers.all()) for q in page.questions) == 2 * min(n, 10)
