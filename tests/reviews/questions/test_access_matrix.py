"""The questions' rows of the access matrix (tests/social/access_matrix.py): the owner's name
on a question they asked and on an answer they gave as a buyer (which says they bought the
product), at each profile setting, as each role reads the product's questions on the page and
in the API. Who is named follows the owner's profile setting; someone blocked either way sees
neither the question nor the answer."""

import pytest
from django.test import Client

from reviews.questions import services
from tests.factories import ProductFactory, UserFactory, privacy_set, purchases_make
from tests.html import html
from tests.social.access_matrix import Datum, World, datum_cases, world_make

pytestmark = pytest.mark.django_db

SETTINGS = ("friends", "public")


@pytest.fixture
def world() -> World:
    return world_make()


def _asked(world, visibility):
    privacy_set(world.owner, profile=visibility)
    product = ProductFactory(title="Brass Lamp", slug="brass-lamp")
    services.question_ask(author=world.owner, product=product, text="Is it dimmable?")
    return product


def _answered_as_buyer(world, visibility):
    privacy_set(world.owner, profile=visibility)
    product = ProductFactory(title="Brass Lamp", slug="brass-lamp")
    purchases_make(world.owner, [product])
    question = services.question_ask(author=UserFactory(), product=product, text="Dimmable?")
    services.answer_create(question=question, author=world.owner, text="Mine dims.")
    return product


def _page(world, role, product):
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    return html(client.get(f"/products/{product.slug}/questions/"))


def _named_as_asker(world, role, product) -> bool:
    metas = [meta.text for meta in _page(world, role, product).all("p", cls="question__meta")]
    return any("Olive Owner" in meta for meta in metas)


def _named_as_buyer(world, role, product) -> bool:
    names = [who.text for who in _page(world, role, product).all("p", cls="answer__who")]
    return any(name.startswith("Olive Owner") for name in names)


def _named_in_api(world, role, product) -> bool:
    body = world.client(role).get("/api/v1/questions", {"product": product.slug}).json()
    people = [q["author"] for q in body["results"]]
    people += [a["author"] for q in body["results"] for a in q["answers"]]
    return "Olive Owner" in people


DATA = [
    Datum("question-asker-page", SETTINGS, share=_asked, sees=_named_as_asker),
    Datum("question-asker-api", SETTINGS, share=_asked, sees=_named_in_api),
    Datum("answer-buyer-page", SETTINGS, share=_answered_as_buyer, sees=_named_as_buyer),
    Datum("answer-buyer-api", SETTINGS, share=_answered_as_buyer, sees=_named_in_api),
]


@pytest.mark.parametrize(("datum", "visibility", "role", "expected"), datum_cases(DATA))
def test_who_is_named_on_questions_and_answers(world, datum, visibility, role, expected):
    product = datum.share(world, visibility)

    assert datum.sees(world, role, product) is expected


def test_an_unnamed_buyer_still_shows_as_a_verified_buyer(world):
    product = _answered_as_buyer(world, "friends")

    (answer,) = _page(world, "stranger", product).all("li", cls="answer")

    assert answer.one("p", cls="answer__who").text == "A buyer Verified buyer"
