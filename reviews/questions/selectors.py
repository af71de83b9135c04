"""Every read of questions and answers used by pages, the API, admin and emails.

A product's questions are listed newest answered first, each with its answers best first
(most helpful, then the oldest), searchable over the questions' and answers' text, a page at
a time, in a constant number of queries whatever the number of questions or answers. A
signed-in viewer is not shown the questions, nor the answers, of people blocked either way.

Whose name shows is the audience rule's (social.graph), as for a person's profile: an asker
or a buyer who answered is named to those who may see their profile, and is "A shopper" or
"A buyer" to everyone else (a "Verified buyer" answer says they bought it: their name must not
tell more than their profile does). A merchant's answer is named after the merchant.
"""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, When
from django.http import Http404

from reviews.questions.models import Answer, AnswerVote, Question
from shop.catalog.selectors import merchants_of_user, product_with_merchant_get
from shop.core.pagination import paginate
from shop.core.validators import CONTROL_CHARACTERS, id_is_valid
from social.graph.selectors import audience_filter, without_blocked

PAGE_SIZE = 10
SEARCH_MAX_LENGTH = 100
ASKER_UNNAMED = "A shopper"
BUYER_UNNAMED = "A buyer"


def questions_url(product) -> str:
    return f"/products/{product.slug}/questions/"


def question_product_get(*, slug: str):
    """The published product called SLUG, with its merchant; Http404 for none."""
    return product_with_merchant_get(slug=slug)


def answer_role(*, product, user) -> str | None:
    """How USER may answer a question about PRODUCT: MERCHANT (its merchant's staff, or an
    operator), BUYER (a purchased order line of it), or None (may not answer)."""
    from shop.orders.selectors import order_lines_purchased

    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if merchants_of_user(user=user).filter(pk=product.merchant_id).exists():
        return Answer.Role.MERCHANT
    bought = order_lines_purchased(product_ids=[product.pk]).filter(order__customer_id=user.pk)
    return Answer.Role.BUYER if bought.exists() else None


def _answers(viewer) -> QuerySet[Answer]:
    answers = Answer.objects.select_related("author").order_by("-helpful_count", "created_at", "pk")
    return without_blocked(answers, viewer=viewer, person_field="author")


def search_clean(q: str | None) -> str:
    """What a search looks for: Q without control characters (a NUL is refused by
    PostgreSQL), trimmed, at most SEARCH_MAX_LENGTH characters."""
    return CONTROL_CHARACTERS.sub("", q or "").strip()[:SEARCH_MAX_LENGTH]


def question_list(*, product, viewer=None, q: str = "") -> QuerySet[Question]:
    """PRODUCT's questions VIEWER may read, answered first then newest, with their authors and
    their answers (best first, with authors) loaded; Q keeps those whose question or an
    answer holds it."""
    questions = Question.objects.filter(product_id=product.pk).select_related("author")
    questions = without_blocked(questions, viewer=viewer, person_field="author")
    q = search_clean(q)
    if q:
        in_answers = Answer.objects.filter(question_id=OuterRef("pk"), text__icontains=q)
        questions = questions.filter(Q(text__icontains=q) | Exists(in_answers))
    answered = Case(When(answer_count__gt=0, then=0), default=1, output_field=IntegerField())
    return questions.order_by(answered, "-created_at", "-pk").prefetch_related(
        Prefetch("answers", queryset=_answers(viewer))
    )


def names_apply(*, viewer, merchant_name: str, questions=(), answers=()) -> None:
    """Set `author_name` on each of QUESTIONS (and their loaded answers) and ANSWERS: what
    VIEWER is shown (see the module's docstring). One query, whatever the number of people."""
    answers = [*answers, *(a for question in questions for a in question.answers.all())]
    people = {question.author_id for question in questions} | {
        answer.author_id for answer in answers if answer.role != Answer.Role.MERCHANT
    }
    named = set()
    if people:
        from django.contrib.auth import get_user_model

        named = set(
            audience_filter(
                get_user_model().objects.filter(pk__in=people),
                viewer=viewer,
                owner_field="pk",
                visibility_field="privacy__profile",
            ).values_list("pk", flat=True)
        )
    for question in questions:
        question.author_name = (
            question.author.public_name if question.author_id in named else ASKER_UNNAMED
        )
    for answer in answers:
        if answer.role == Answer.Role.MERCHANT:
            answer.author_name = merchant_name
        elif answer.author_id in named:
            answer.author_name = answer.author.public_name
        else:
            answer.author_name = BUYER_UNNAMED


@dataclass(frozen=True)
class QuestionPage:
    """A page of a product's questions, with what the viewer may do on it."""

    product: object
    page: Page
    questions: list  # the page's questions; each answer's viewer_vote is the viewer's vote
    q: str
    total: int  # all the product's questions, whatever Q
    votes: dict  # {answer id: the viewer's vote (True: helpful)}
    may_answer: bool


def question_page(*, product, viewer=None, q: str = "", number: int = 1) -> QuestionPage:
    """Page NUMBER of PRODUCT's questions matching Q as VIEWER reads them: 4 queries (count,
    questions, answers, whose names VIEWER may read), the total when Q is given, and for a
    signed-in VIEWER their votes and whether they may answer (staff, bought), whatever the
    numbers."""
    page = paginate(
        question_list(product=product, viewer=viewer, q=q), number=number, size=PAGE_SIZE
    )
    q = search_clean(q)
    questions = list(page.object_list)
    total = page.paginator.count
    if q:
        total = Question.objects.filter(product_id=product.pk).count()
    signed_in = viewer is not None and viewer.is_authenticated
    votes = {}
    may_answer = False
    if signed_in:
        answer_ids = [
            answer.pk for question in page.object_list for answer in question.answers.all()
        ]
        if answer_ids:
            votes = dict(
                AnswerVote.objects.filter(voter_id=viewer.pk, answer_id__in=answer_ids).values_list(
                    "answer_id", "helpful"
                )
            )
        may_answer = answer_role(product=product, user=viewer) is not None
    for question in questions:
        for answer in question.answers.all():
            answer.viewer_vote = votes.get(answer.pk)
    names_apply(viewer=viewer, merchant_name=product.merchant.name, questions=questions)
    return QuestionPage(
        product=product,
        page=page,
        questions=questions,
        q=q,
        total=total,
        votes=votes,
        may_answer=may_answer,
    )


def question_get(*, question_id: int) -> Question:
    """A question with its product (and merchant) and author; Http404 for none, or for one
    about a product no longer published."""
    if not id_is_valid(question_id):
        raise Http404("No such question.")
    question = (
        Question.objects.select_related("product__merchant", "author")
        .filter(pk=question_id, product__is_published=True)
        .first()
    )
    if question is None:
        raise Http404("No such question.")
    return question


def answer_get(*, answer_id: int) -> Answer:
    """An answer with its question's product (and merchant); Http404 for none (or an
    unpublished product)."""
    if not id_is_valid(answer_id):
        raise Http404("No such answer.")
    answer = (
        Answer.objects.select_related("question__product__merchant", "author")
        .filter(pk=answer_id, question__product__is_published=True)
        .first()
    )
    if answer is None:
        raise Http404("No such answer.")
    return answer


def answer_list(*, question: Question, viewer=None) -> QuerySet[Answer]:
    """QUESTION's answers VIEWER may read, best first, with their authors."""
    return _answers(viewer).filter(question_id=question.pk)


def question_for_staff_email(*, question_id: int):
    """The question (product, merchant, author loaded) and the email addresses of its
    merchant's active staff, for the email telling them about it; (None, []) for none."""
    question = (
        Question.objects.select_related("product__merchant", "author")
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        return None, []
    emails = list(
        question.product.merchant.staff.filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return question, emails


def question_list_for_staff(*, user) -> QuerySet[Question]:
    """The questions USER may see in admin: every one for an operator, else those about the
    products of the merchants they manage."""
    questions = Question.objects.select_related("product__merchant", "author")
    if user.is_superuser:
        return questions
    return questions.filter(product__merchant__in=merchants_of_user(user=user))
