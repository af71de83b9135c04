"""Questions' part of "download my data" and "delete my account"."""

from reviews.questions.models import Answer, AnswerVote, Question


def questions_export(user) -> dict:
    """Return USER's questions, answers and votes, oldest first."""
    questions = (
        Question.objects.filter(author_id=user.pk)
        .select_related("product")
        .order_by("created_at", "id")
    )
    answers = (
        Answer.objects.filter(author_id=user.pk)
        .select_related("question__product")
        .order_by("created_at", "id")
    )
    votes = (
        AnswerVote.objects.filter(voter_id=user.pk)
        .select_related("answer__question__product")
        .order_by("created_at", "id")
    )
    return {
        "questions": [
            {
                "product": question.product.title,
                "question": question.text,
                "asked_at": question.created_at.isoformat(),
            }
            for question in questions
        ],
        "answers": [
            {
                "product": answer.question.product.title,
                "question": answer.question.text,
                "answer": answer.text,
                "as": answer.get_role_display(),
                "answered_at": answer.created_at.isoformat(),
            }
            for answer in answers
        ],
        "votes": [
            {
                "product": vote.answer.question.product.title,
                "answer": vote.answer.text,
                "helpful": vote.helpful,
            }
            for vote in votes
        ],
    }


def questions_erase(user) -> None:
    """Delete USER's questions, answers and votes, each leaving the count it was in."""
    from reviews.questions.services import questions_of_user_erase

    questions_of_user_erase(user_id=user.pk)
