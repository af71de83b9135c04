"""/api/v1/asks, /asks/<id>, /asks/<id>/answers, /asks/<id>/close: errors name the field,
404 for anyone but the asker and the friends asked, constant queries."""

import pytest
from rest_framework.test import APIClient

from social.likes import ask_services as services
from social.likes.models import Ask, AskAnswer
from tests.factories import friends_make
from tests.social.likes.asks_helpers import ask_make, person, product_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    return person("ana", display_name="Ana Alves")


@pytest.fixture
def ben(ana):
    ben = person("ben", display_name="Ben Brandt")
    friends_make(ana, ben)
    return ben


@pytest.fixture
def cleo(ana):
    cleo = person("cleo", display_name="Cleo Costa")
    friends_make(ana, cleo)
    return cleo


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_asking_creates_and_answers_201_with_the_ask(ana, ben, cleo):
    product = product_make("Trail Jacket")

    response = api(ana).post(
        "/api/v1/asks",
        {"product": product.pk, "friends": ["ben", "CLEO"], "note": "Rain?"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["product"]["title"] == "Trail Jacket" and body["note"] == "Rain?"
    assert body["mine"] and body["open"] and (body["yes_count"], body["no_count"]) == (0, 0)
    assert sorted(p["username"] for p in body["asked"]) == ["ben", "cleo"]


def test_asking_all_friends(ana, ben, cleo):
    product = product_make()

    response = api(ana).post(
        "/api/v1/asks", {"product": product.pk, "all_friends": True}, format="json"
    )

    assert response.status_code == 201
    assert len(response.json()["asked"]) == 2


def test_asking_again_adds_friends_200_or_says_already_asked(ana, ben, cleo):
    product = product_make()
    api(ana).post("/api/v1/asks", {"product": product.pk, "friends": ["ben"]}, format="json")

    again = api(ana).post(
        "/api/v1/asks", {"product": product.pk, "friends": ["ben"]}, format="json"
    )
    more = api(ana).post(
        "/api/v1/asks", {"product": product.pk, "friends": ["ben", "cleo"]}, format="json"
    )

    assert again.status_code == 400
    assert again.json()["errors"]["friends"][0]["code"] == "already_asked"
    assert more.status_code == 200 and len(more.json()["asked"]) == 2
    assert Ask.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"friends": ["ben"]}, "product", "required"),
        ({"product": 999999, "friends": ["ben"]}, "product", "product_not_found"),
        ({"product": "x", "friends": ["ben"]}, "product", "invalid"),
        ({"product": 2**70, "friends": ["ben"]}, "product", "product_not_found"),
        ({"product": "P", "friends": []}, "friends", "no_friends_chosen"),
        ({"product": "P", "friends": ["nobody"]}, "friends", "not_a_friend"),
        ({"product": "P", "friends": ["stan"]}, "friends", "not_a_friend"),
        ({"product": "P", "friends": "ben"}, "friends", "not_a_list"),
        ({"product": "P", "friends": ["ben"], "note": "x" * 501}, "note", "max_length"),
    ],
)
def test_bad_input_names_the_field(ana, ben, payload, field, code):
    person("stan")
    product = product_make()
    payload = {**payload}
    if payload.get("product") == "P":
        payload["product"] = product.pk

    response = api(ana).post("/api/v1/asks", payload, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][field][0]["code"] == code
    assert not Ask.objects.exists()


def test_answering_and_changing_the_answer(ana, ben):
    ask = ask_make(ana, ben)

    first = api(ben).post(f"/api/v1/asks/{ask.pk}/answers", {"answer": "yes"}, format="json")
    second = api(ben).post(
        f"/api/v1/asks/{ask.pk}/answers",
        {"answer": "no", "comment": "Changed my mind"},
        format="json",
    )

    assert first.status_code == 200 and second.status_code == 200
    body = second.json()
    assert body["mine"] is False and body["yes_count"] is None and body["no_count"] is None
    assert [(a["friend"]["username"], a["answer"], a["comment"]) for a in body["answers"]] == [
        ("ben", "no", "Changed my mind")
    ]
    ask.refresh_from_db()
    assert (ask.yes_count, ask.no_count) == (0, 1)


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({}, "answer", "required"),
        ({"answer": "maybe"}, "answer", "invalid_choice"),
        ({"answer": "yes", "comment": "x" * 501}, "comment", "max_length"),
        ({"answer": "yes", "comment": "bad\x00"}, "comment", "invalid_text"),
    ],
)
def test_a_bad_answer_names_the_field(ana, ben, payload, field, code):
    ask = ask_make(ana, ben)

    response = api(ben).post(f"/api/v1/asks/{ask.pk}/answers", payload, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors, errors
    assert not AskAnswer.objects.exists()


def test_the_asker_reads_the_tally_and_every_answer(ana, ben, cleo):
    ask = ask_make(ana, ben, cleo)
    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Too warm")
    services.ask_answer(ask=ask, friend=cleo, yes=True)

    body = api(ana).get(f"/api/v1/asks/{ask.pk}").json()

    assert (body["yes_count"], body["no_count"]) == (1, 1)
    assert [(a["friend"]["name"], a["answer"], a["comment"]) for a in body["answers"]] == [
        ("Ben Brandt", "no", "Too warm"),
        ("Cleo Costa", "yes", ""),
    ]


def test_a_friend_asked_cannot_answer_their_own_way_into_others_answers(ana, ben, cleo):
    ask = ask_make(ana, ben, cleo)
    services.ask_answer(ask=ask, friend=cleo, yes=True, comment="Cleo's secret")

    body = api(ben).get(f"/api/v1/asks/{ask.pk}").json()

    assert body["answers"] == [] and body["asked"] == []
    assert body["yes_count"] is None


@pytest.mark.parametrize("who", ["stranger", "friend_not_asked", "anonymous"])
def test_anyone_else_gets_404_or_401(ana, ben, cleo, who):
    ask = ask_make(ana, ben)
    viewer = {"stranger": person("stan"), "friend_not_asked": cleo, "anonymous": None}[who]
    client = api(viewer)

    statuses = {
        client.get(f"/api/v1/asks/{ask.pk}").status_code,
        client.post(f"/api/v1/asks/{ask.pk}/answers", {"answer": "yes"}, format="json").status_code,
        client.post(f"/api/v1/asks/{ask.pk}/close").status_code,
        client.delete(f"/api/v1/asks/{ask.pk}").status_code,
    }

    assert statuses == ({403} if who == "anonymous" else {404})
    assert not AskAnswer.objects.exists()
    ask.refresh_from_db()
    assert ask.is_open


def test_a_cursor_not_ours_names_the_field(ana):
    response = api(ana).get("/api/v1/asks?cursor=nonsense")

    assert response.status_code == 400
    assert response.json()["errors"]["cursor"][0]["code"] == "invalid_cursor"


def test_an_id_too_big_is_404(ana):
    assert api(ana).get(f"/api/v1/asks/{2**70}").status_code == 404


def test_the_asker_withdraws_by_delete_or_close(ana, ben):
    first = ask_make(ana, ben, product=product_make("A"))
    second = ask_make(ana, ben, product=product_make("B"))

    deleted = api(ana).delete(f"/api/v1/asks/{first.pk}")
    closed = api(ana).post(f"/api/v1/asks/{second.pk}/close")
    again = api(ana).post(f"/api/v1/asks/{second.pk}/close")

    assert deleted.status_code == 204
    assert closed.status_code == 200 and closed.json()["closed_reason"] == "withdrawn"
    assert (
        again.status_code == 400
        and again.json()["errors"]["non_field_errors"][0]["code"] == "closed"
    )


def test_a_friend_asked_cannot_withdraw(ana, ben):
    ask = ask_make(ana, ben)

    response = api(ben).post(f"/api/v1/asks/{ask.pk}/close")

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"][0]["code"] == "not_yours"


def test_the_list_holds_mine_and_those_asked_of_me_by_cursor(ana, ben, cleo, monkeypatch):
    mine = [ask_make(ben, ana, product=product_make(f"Mine {i}")) for i in range(2)]
    to_me = ask_make(ana, ben, product=product_make("Theirs"))
    ask_make(ana, cleo, product=product_make("Not mine"))

    first = api(ben).get("/api/v1/asks").json()
    assert [a["id"] for a in first["results"]] == [to_me.pk, mine[1].pk, mine[0].pk]
    assert [a["mine"] for a in first["results"]] == [False, True, True]

    monkeypatch.setattr("social.likes.ask_selectors.PAGE_SIZE", 2)
    everything, pages = [], 0
    cursor = None
    while True:
        url = "/api/v1/asks" + (f"?cursor={cursor}" if cursor else "")
        page = api(ben).get(url).json()
        everything += [a["id"] for a in page["results"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert everything == [to_me.pk, mine[1].pk, mine[0].pk] and pages == 2


@pytest.mark.parametrize("n", [2, 10])
def test_the_list_and_detail_take_the_same_queries(django_assert_num_queries, ana, n):
    friends = [person(f"friend{i}") for i in range(n)]
    asks = [ask_make(ana, *friends, product=product_make(f"Thing {i}")) for i in range(n)]
    for friend in friends:
        services.ask_answer(ask=asks[0], friend=friend, yes=False, comment="No")
    client = api(ana)

    with django_assert_num_queries(2):  # the asks, their answers
        assert len(client.get("/api/v1/asks").json()["results"]) == n
    with django_assert_num_queries(3):  # the ask, its answers, who was asked
        assert len(client.get(f"/api/v1/asks/{asks[0].pk}").json()["answers"]) == n
