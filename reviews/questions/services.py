"""Every write of questions and answers: asking, answering, voting, and forgetting a person.

A signed-in shopper asks about a published product; the merchant's staff hear of it by
email (through the outbox, once: emails.py). The product's merchant staff (and the shop's
operators) answer as "Merchant", people who bought the product (a paid, shipped or delivered
order line of it) as "Verified buyer"; anyone else is refused. The asker is notified of each
answer. Anyone signed in may vote an answer helpful or not, once (changing their vote
later), never on their own answer. Question.answer_count and Answer.helpful_count move by
conditional UPDATEs in the transaction of the row they count.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reviews.questions import selectors
from reviews.questions.errors import QuestionError
from reviews.questions.models import Answer, AnswerVote, Question
from shop.core.errors import DomainError
from shop.core.outbox import outbox_record
from social.graph.services import daily_limit_check
from social.notifications.services import notification_notify

QUESTION_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 2000
# Enough for any shopper; a script posting questions is stopped.
QUESTIONS_PER_DAY = 30

# The notification kind (registered in QuestionsConfig.ready()) and the outbox topic of the
# staff's email (delivered by tasks.question_asked_staff_email).
QUESTION_ANSWERED = "question_answered"
STAFF_EMAIL_TOPIC = "email.questions.asked"


def _text(value, *, limit: int, field: str = "text") -> str:
    value = str(value or "").strip()
    if not value:
        raise DomainError("Write something first.", code=QuestionError.TEXT_REQUIRED, field=field)
    if len(value) > limit:
        raise DomainError(
            f"Keep it under {limit} characters.", code=QuestionError.TOO_LONG, field=field
        )
    return value


@transaction.atomic
def question_ask(*, author, product, text: str) -> Question:
    """AUTHOR asks TEXT about PRODUCT (a published product). The merchant's staff are emailed
    after the commit, through the outbox. Raises TEXT_REQUIRED or TOO_LONG (field "text"),
    RATE_LIMITED (a RateLimitError) past QUESTIONS_PER_DAY in 24 hours."""
    text = _text(text, limit=QUESTION_MAX_LENGTH)
    # The author's row is locked so that two questions at once are counted one after the other.
    get_user_model().objects.select_for_update().filter(pk=author.pk).values_list(
        "pk", flat=True
    ).first()
    daily_limit_check(
        Question.objects.filter(author_id=author.pk),
        limit=QUESTIONS_PER_DAY,
        what="questions",
        code=QuestionError.RATE_LIMITED,
    )
    question = Question.objects.create(product=product, author=author, text=text)
    outbox_record(topic=STAFF_EMAIL_TOPIC, payload={"question_id": question.pk})
    return question


@transaction.atomic
def answer_create(*, question: Question, author, text: str) -> Answer:
    """AUTHOR answers QUESTION with TEXT, as the merchant's staff or as a verified buyer of
    its product (selectors.answer_role). The question's count moves in this transaction and
    its asker is notified. Raises MAY_NOT_ANSWER (non-field), TEXT_REQUIRED or TOO_LONG."""
    text = _text(text, limit=ANSWER_MAX_LENGTH)
    product = question.product
    role = selectors.answer_role(product=product, user=author)
    if role is None:
        raise DomainError(
            "Only the seller and people who bought this product can answer.",
            code=QuestionError.MAY_NOT_ANSWER,
        )
    answer = Answer.objects.create(question=question, author=author, role=role, text=text)
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    data = {"product": product.title}
    if role == Answer.Role.MERCHANT:
        data["merchant"] = product.merchant.name
    notification_notify(
        recipient=question.author,
        kind=QUESTION_ANSWERED,
        actor=author,
        target_type="questions.question",
        target_id=question.pk,
        url=f"{selectors.questions_url(product)}#question-{question.pk}",
        data=data,
        dedupe_key=f"question_answered:{answer.pk}",
    )
    return answer


@transaction.atomic
def answer_vote(*, answer: Answer, voter, helpful: bool) -> AnswerVote:
    """VOTER says ANSWER was HELPFUL (True) or not; changes their vote if they had one.

    The answer's helpful count moves in this transaction: +1 for a first helpful vote, ±1
    when a vote changes side, nothing for the same vote again. Raises OWN_ANSWER (non-field)
    or INVALID_VOTE (field "helpful").
    """
    if not isinstance(helpful, bool):
        raise DomainError("Say helpful or not.", code=QuestionError.INVALID_VOTE, field="helpful")
    if answer.author_id == voter.pk:
        raise DomainError("You cannot vote on your own answer.", code=QuestionError.OWN_ANSWER)
    delta = 0
    try:
        with transaction.atomic():
            vote = AnswerVote.objects.create(answer=answer, voter=voter, helpful=helpful)
        delta = 1 if helpful else 0
    except IntegrityError:
        # Voted before (or a twin request a moment ago): change it, if it changes.
        votes = AnswerVote.objects.filter(answer_id=answer.pk, voter_id=voter.pk)
        if votes.filter(helpful=not helpful).update(helpful=helpful, updated_at=timezone.now()):
            delta = 1 if helpful else -1
        vote = votes.get()
    _helpful_move(answer_id=answer.pk, delta=delta)
    return vote


def _helpful_move(*, answer_id: int, delta: int) -> None:
    answers = Answer.objects.filter(pk=answer_id)
    if delta > 0:
        answers.update(helpful_count=F("helpful_count") + 1)
    elif delta < 0:
        answers.filter(helpful_count__gte=1).update(helpful_count=F("helpful_count") - 1)


@transaction.atomic
def questions_of_user_erase(*, user_id: int) -> None:
    """Delete USER_ID's votes, answers and questions (their account is erased), each vote
    and answer leaving the count it was in."""
    for vote_id, answer_id, helpful in (
        AnswerVote.objects.select_for_update()
        .filter(voter_id=user_id)
        .order_by("pk")
        .values_list("pk", "answer_id", "helpful")
    ):
        if AnswerVote.objects.filter(pk=vote_id).delete()[0] and helpful:
            _helpful_move(answer_id=answer_id, delta=-1)
    for answer_id, question_id in (
        Answer.objects.select_for_update()
        .filter(author_id=user_id)
        .order_by("pk")
        .values_list("pk", "question_id")
    ):
        if Answer.objects.filter(pk=answer_id).delete()[0]:
            Question.objects.filter(pk=question_id, answer_count__gte=1).update(
                answer_count=F("answer_count") - 1
            )
    Question.objects.filter(author_id=user_id).delete()
