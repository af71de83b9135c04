import pytest
from django.core import mail

from reviews.questions import services
from reviews.questions.errors import QuestionError
from reviews.questions.models import Answer, Question
from reviews.questions.tasks import question_asked_staff_email
from shop.core.errors import DomainError
from social.notifications.models import Notification
from tests.factories import UserFactory, purchases_make
from tests.reviews.questions.helpers import shop_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return shop_make()


@pytest.fixture
def question(shop):
    return services.question_ask(author=shop.shopper, product=shop.product, text="Is it dimmable?")


def test_merchant_staff_answer_as_merchant(shop, question):
    answer = services.answer_create(question=question, author=shop.staff, text="Yes, fully.")

    assert answer.role == Answer.Role.MERCHANT
    question.refresh_from_db()
    assert question.answer_count == 1


def test_a_buyer_of_the_product_answers_as_verified_buyer(shop, question):
    answer = services.answer_create(question=question, author=shop.buyer, text="Mine dims.")

    assert answer.role == Answer.Role.BUYER


@pytest.mark.parametrize("status", ["pending_payment", "cancelled", "refunded"])
def test_someone_whose_order_was_not_a_purchase_may_not_answer(shop, question, status):
    person = UserFactory()
    purchases_make(person, [shop.product], status=status)

    with pytest.raises(DomainError) as error:
        services.answer_create(question=question, author=person, text="I think so.")

    assert error.value.code == QuestionError.MAY_NOT_ANSWER
    assert not Answer.objects.exists()


def test_staff_of_another_merchant_may_not_answer(shop, question):
    from shop.catalog.services import merchant_staff_add
    from tests.factories import MerchantFactory

    other = UserFactory()
    merchant_staff_add(merchant=MerchantFactory(), user=other)

    with pytest.raises(DomainError) as error:
        services.answer_create(question=question, author=other, text="Yes.")

    assert error.value.code == QuestionError.MAY_NOT_ANSWER


def test_an_empty_or_long_text_is_refused_on_its_field(shop):
    with pytest.raises(DomainError) as empty:
        services.question_ask(author=shop.shopper, product=shop.product, text="   ")
    with pytest.raises(DomainError) as long:
        services.question_ask(author=shop.shopper, product=shop.product, text="x" * 1001)

    assert (empty.value.code, empty.value.field) == (QuestionError.TEXT_REQUIRED, "text")
    assert (long.value.code, long.value.field) == (QuestionError.TOO_LONG, "text")
    assert not Question.objects.exists()


def test_the_asker_is_notified_of_each_answer(shop, question):
    services.answer_create(question=question, author=shop.staff, text="Yes.")
    services.answer_create(question=question, author=shop.buyer, text="Mine dims.")

    notes = list(Notification.objects.filter(recipient=shop.shopper, kind="question_answered"))
    assert len(notes) == 2
    assert {note.actor_id for note in notes} == {shop.staff.pk, shop.buyer.pk}
    assert notes[0].url == f"/products/brass-lamp/questions/#question-{question.pk}"


def test_a_merchant_answer_reads_as_the_merchant(shop, question):
    from social.notifications.kinds import notification_kind_get

    services.answer_create(question=question, author=shop.staff, text="Yes.")

    note = Notification.objects.get(recipient=shop.shopper)
    text = notification_kind_get(note.kind).render(actor="Sam Staff", data=note.data)
    assert text == "Lumen Studio answered your question about Brass Lamp"


def test_answering_your_own_question_notifies_nobody(shop):
    question = services.question_ask(author=shop.buyer, product=shop.product, text="Spare bulb?")

    services.answer_create(question=question, author=shop.buyer, text="Found one.")

    assert not Notification.objects.exists()


def test_a_helpful_vote_counts_once_and_can_change(shop, question):
    answer = services.answer_create(question=question, author=shop.staff, text="Yes.")

    services.answer_vote(answer=answer, voter=shop.shopper, helpful=True)
    services.answer_vote(answer=answer, voter=shop.shopper, helpful=True)
    answer.refresh_from_db()
    assert answer.helpful_count == 1

    services.answer_vote(answer=answer, voter=shop.shopper, helpful=False)
    answer.refresh_from_db()
    assert answer.helpful_count == 0
    assert answer.votes.get().helpful is False

    services.answer_vote(answer=answer, voter=shop.shopper, helpful=True)
    services.answer_vote(answer=answer, voter=shop.buyer, helpful=True)
    answer.refresh_from_db()
    assert answer.helpful_count == 2


def test_a_not_helpful_first_vote_counts_nothing(shop, question):
    answer = services.answer_create(question=question, author=shop.staff, text="Yes.")

    services.answer_vote(answer=answer, voter=shop.shopper, helpful=False)

    answer.refresh_from_db()
    assert answer.helpful_count == 0


def test_nobody_votes_on_their_own_answer(shop, question):
    answer = services.answer_create(question=question, author=shop.staff, text="Yes.")

    with pytest.raises(DomainError) as error:
        services.answer_vote(answer=answer, voter=shop.staff, helpful=True)

    assert error.value.code == QuestionError.OWN_ANSWER
    answer.refresh_from_db()
    assert answer.helpful_count == 0


def test_a_vote_that_is_not_a_boolean_names_its_field(shop, question):
    answer = services.answer_create(question=question, author=shop.staff, text="Yes.")

    with pytest.raises(DomainError) as error:
        services.answer_vote(answer=answer, voter=shop.shopper, helpful="yes")

    assert (error.value.code, error.value.field) == (QuestionError.INVALID_VOTE, "helpful")


def test_the_merchant_staff_are_emailed_once_when_a_question_is_asked(
    shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(
            author=shop.shopper, product=shop.product, text="Does it come with a bulb?"
        )

    (message,) = mail.outbox
    assert message.to == ["sam@lumen.test"]
    assert "Brass Lamp" in message.subject
    assert "Does it come with a bulb?" in message.body
    assert f"/admin/questions/question/{question.pk}/change/" in message.body

    # The outbox delivers at least once: a second run sends nothing.
    assert question_asked_staff_email(question_id=question.pk) is False
    assert len(mail.outbox) == 1


def test_erasing_a_person_takes_their_votes_and_answers_out_of_the_counts(shop, question):
    from reviews.questions.personal_data import questions_erase, questions_export

    staff_answer = services.answer_create(question=question, author=shop.staff, text="Yes.")
    services.answer_create(question=question, author=shop.buyer, text="Mine dims.")
    services.answer_vote(answer=staff_answer, voter=shop.buyer, helpful=True)
    assert questions_export(shop.buyer)["answers"][0]["as"] == "Verified buyer"

    questions_erase(shop.buyer)

    question.refresh_from_db()
    staff_answer.refresh_from_db()
    assert (question.answer_count, staff_answer.helpful_count) == (1, 0)


def test_a_shopper_asking_too_many_questions_a_day_is_stopped(shop, monkeypatch):
    from shop.core.errors import RateLimitError

    monkeypatch.setattr(services, "QUESTIONS_PER_DAY", 2)
    services.question_ask(author=shop.shopper, product=shop.product, text="One?")
    services.question_ask(author=shop.shopper, product=shop.product, text="Two?")

    with pytest.raises(RateLimitError) as error:
        services.question_ask(author=shop.shopper, product=shop.product, text="Three?")

    assert error.value.code == QuestionError.RATE_LIMITED
    assert error.value.retry_after > 0
    assert Question.objects.count() == 2
    # Someone else may still ask.
    services.question_ask(author=shop.buyer, product=shop.product, text="Mine?")
