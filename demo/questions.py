"""Questions and answers in the demo, on Northwind Outfitters' product that the demo shopper
bought (their delivered order) and robin too (demo/reputation.py):

- a friend's question answered by the merchant's staff ("Merchant") and by robin ("Verified
  buyer"), robin's answer voted helpful, so it comes first;
- a question nobody answered yet: the merchant's staff find it under "Unanswered" in admin,
  and the shopper, who bought the product, may answer it on the page;
- the shopper's own question about another of the merchant's products, answered by the
  merchant: a notification waits for them.

Through the questions' services, as the site makes them. Idempotent: a question is found by
its author, product and text, and only a missing one is asked (with its answers).
"""

from collections import Counter

from django.contrib.auth import get_user_model

from demo.community import community_spec
from demo.reputation import FRIEND, MERCHANT, shopper_bought
from demo.specs import merchants as merchant_specs
from reviews.questions import services
from reviews.questions.models import Question
from shop.catalog.models import Product

ANSWERED = "Is it warm enough for a night just below freezing?"
UNANSWERED = "Does it come in other colours?"
MINE = "Will it fit in an airline cabin bag?"


def _people(*usernames):
    users = get_user_model().objects.in_bulk(list(usernames), field_name="username")
    return [users.get(username) for username in usernames]


def _ask(*, author, product, text: str, answers=(), voters=(), created: Counter) -> None:
    if Question.objects.filter(author=author, product=product, text=text).exists():
        return
    question = services.question_ask(author=author, product=product, text=text)
    created["questions"] += 1
    made = [
        services.answer_create(question=question, author=who, text=words) for who, words in answers
    ]
    created["answers"] += len(made)
    if made and voters:
        for voter in voters:
            services.answer_vote(answer=made[-1], voter=voter, helpful=True)


def questions_build(*, created: Counter) -> None:
    """Ask whatever of the demo's questions is missing."""
    spec = community_spec()
    staff_username = next(s.staff.username for s in merchant_specs() if s.slug == MERCHANT)
    shopper, robin, staff, lena, yusuf, mateo, ingrid = _people(
        spec.shopper, FRIEND, staff_username, "lena", "yusuf", "mateo", "ingrid"
    )
    if None in (shopper, robin, staff, lena, yusuf, mateo, ingrid):
        return
    bought = shopper_bought(merchant_slug=MERCHANT)
    products = list(
        Product.objects.filter(merchant__slug=MERCHANT, is_published=True).order_by("pk")[:3]
    )
    product = next((p for p in products if p.pk == bought), None)
    other = next((p for p in products if p.pk != bought), None)
    if product is None or other is None:
        return
    _ask(
        author=lena,
        product=product,
        text=ANSWERED,
        answers=[
            (staff, "It is rated to -2 °C comfort, so yes, with a good sleeping mat under it."),
            (robin, "I slept in it at -3 °C in the Ardennes: warm, a little damp by the morning."),
        ],
        voters=[mateo, ingrid, shopper],
        created=created,
    )
    _ask(author=yusuf, product=product, text=UNANSWERED, created=created)
    _ask(
        author=shopper,
        product=other,
        text=MINE,
        answers=[(staff, "Yes: packed, it is 40 × 25 × 20 cm, inside most airlines' limits.")],
        created=created,
    )
