"""What "people you may know" hooks into at start-up: the graph's events (a change of who is
tied to whom forgets the rankings it touches), the section on /friends/, the aside beside
the feed, and "download my data" / "delete my account"."""

from social.recommendations.people_selectors import suggestions_forget


def request_changed_forget(sender, *, request_id: int, **kwargs) -> None:
    """A friend request was sent or accepted: both people's rankings change."""
    from social.graph.selectors import friend_request_get

    friend_request = friend_request_get(request_id=request_id)
    if friend_request is not None:
        suggestions_forget(user_ids=[friend_request.from_user_id, friend_request.to_user_id])


def invite_accepted_forget(sender, *, referral_id: int, **kwargs) -> None:
    """An invited newcomer and the inviter became friends."""
    from social.graph.selectors import referral_get

    referral = referral_get(referral_id=referral_id)
    if referral is not None:
        suggestions_forget(user_ids=[referral.inviter_id, referral.newcomer_id])


def friendship_ended_forget(sender, *, user_id: int, friend_id: int, **kwargs) -> None:
    suggestions_forget(user_ids=[user_id, friend_id])


def person_blocked_forget(sender, *, blocker_id: int, blocked_id: int, **kwargs) -> None:
    suggestions_forget(user_ids=[blocker_id, blocked_id])


def privacy_changed_forget(sender, *, user_id: int, fields=(), **kwargs) -> None:
    """A person changed who sees their friends list: the rankings that go through them (their
    friends') and their own are made again."""
    from django.contrib.auth import get_user_model

    from social.graph.selectors import friend_ids_of

    if "friends_list" not in fields:
        return
    User = get_user_model()
    friends = list(
        User.objects.filter(pk__in=friend_ids_of(user=User(pk=user_id))).values_list(
            "pk", flat=True
        )
    )
    suggestions_forget(user_ids=[user_id, *friends])


def connect() -> None:
    """Called once from RecommendationsConfig.ready()."""
    from shop.core.personal_data import personal_data_register
    from social.feed.asides import feed_aside_register
    from social.graph import events
    from social.graph.friends_sections import friends_section_register
    from social.recommendations.people_personal_data import people_erase, people_export
    from social.recommendations.people_views import feed_aside, friends_page_section

    for signal, receiver in (
        (events.friend_request_sent, request_changed_forget),
        (events.friend_request_accepted, request_changed_forget),
        (events.invite_accepted, invite_accepted_forget),
        (events.friendship_ended, friendship_ended_forget),
        (events.person_blocked, person_blocked_forget),
        (events.privacy_changed, privacy_changed_forget),
    ):
        signal.connect(
            receiver, weak=False, dispatch_uid=f"recommendations.people.{receiver.__name__}"
        )
    friends_section_register(friends_page_section)
    feed_aside_register(feed_aside)
    personal_data_register(name="people_you_may_know", exporter=people_export, eraser=people_erase)
