"""Questions about a product, their answers, and helpful votes on the answers.

A question is public once asked (its author's public name shows with it); it is answered by
the product's merchant staff or by someone who bought the product (services decide who, and
the answer keeps which of the two it came from). The counters (Question.answer_count,
Answer.helpful_count) change only by conditional UPDATEs in the transaction of the row they
count, so a page never counts rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Question(models.Model):
    """AUTHOR asks about PRODUCT. STAFF_EMAILED_AT is set (once) by the email that tells the
    merchant's staff about it."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=1000)
    answer_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    staff_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["product", "-created_at", "-id"], name="questions_product_recent"),
            models.Index(
                fields=["product", "created_at"],
                condition=Q(answer_count=0),
                name="questions_unanswered",
            ),
            models.Index(fields=["author"], name="questions_author"),
        ]

    def __str__(self) -> str:
        return f"Question #{self.pk}"


class Answer(models.Model):
    """AUTHOR's answer to QUESTION, as the merchant's staff or as a verified buyer."""

    class Role(models.TextChoices):
        MERCHANT = "merchant", "Merchant"
        BUYER = "buyer", "Verified buyer"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.CharField(max_length=2000)
    helpful_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-helpful_count", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["merchant", "buyer"]), name="questions_answer_role_valid"
            )
        ]
        indexes = [
            models.Index(fields=["question", "-helpful_count", "created_at"], name="answers_best"),
            models.Index(fields=["author"], name="answers_author"),
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk}"


class AnswerVote(models.Model):
    """VOTER says ANSWER was helpful (or not); one vote per person, which they may change."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "voter"], name="questions_vote_once")
        ]
        indexes = [models.Index(fields=["voter", "answer"], name="answer_votes_voter")]

    def __str__(self) -> str:
        return f"Vote #{self.pk}"
