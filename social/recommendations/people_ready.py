"""What "people you may know" hooks into at start-up: the graph's events (a change of who is
tied to whom forgets the rankings it touches), the section on /friends/, the aside beside
the feed, and "download my data" / "delete my account"."""

from social.recommendations.people_selectors import (
    suggestions_forget,
    suggestions_forget_everyone,
)


def _with_friends(*user_ids: int) -> list[int]:
    """USER_IDS and their friends: the people whose friends of friends change when a tie of
    theirs does (one query)."""
    from social.graph.models import Friendship

    friends = Friendship.objects.filter(user_id__in=user_ids).values_list("friend_id", flat=True)
    return [*user_ids, *friends]


def request_changed_forget(sender, *, request_id: int, **kwargs) -> None:
    """A friend request was sent, declined or withdrawn: the two may be suggested to each
    other again, or not."""
    from social.graph.selectors import friend_request_get

    friend_request = friend_request_get(request_id=request_id)
    if friend_request is not None:
        suggestions_forget(user_ids=[friend_request.from_user_id, friend_request.to_user_id])


def request_accepted_forget(sender, *, request_id: int, **kwargs) -> None:
    """Two people became friends: their rankings change, and their friends' (each is now a
    friend of a friend of the other's friends)."""
    from social.graph.selectors import friend_request_get

    friend_request = friend_request_get(request_id=request_id)
    if friend_request is not None:
        suggestions_forget(
            user_ids=_with_friends(friend_request.from_user_id, friend_request.to_user_id)
        )


def invite_accepted_forget(sender, *, referral_id: int, **kwargs) -> None:
    """An invited newcomer and the inviter became friends."""
    from social.graph.selectors import referral_get

    referral = referral_get(referral_id=referral_id)
    if referral is not None:
        suggestions_forget(user_ids=_with_friends(referral.inviter_id, referral.newcomer_id))


def friendship_ended_forget(sender, *, user_id: int, friend_id: int, **kwargs) -> None:
    suggestions_forget(user_ids=_with_friends(user_id, friend_id))


def person_blocked_forget(sender, *, blocker_id: int, blocked_id: int, **kwargs) -> None:
    """A block ended any friendship of the two: their friends count them no more."""
    suggestions_forget(user_ids=_with_friends(blocker_id, blocked_id))


def person_unblocked_forget(sender, *, blocker_id: int, blocked_id: int, **kwargs) -> None:
    suggestions_forget(user_ids=[blocker_id, blocked_id])


def privacy_changed_forget(sender, *, user_id: int, fields=(), **kwargs) -> None:
    """A person changed who sees their friends list: the rankings that go through them (their
    friends') and their own are made again. Turning discoverability off (or on) changes whom
    anyone may be suggested: every answer is made again."""
    if "discoverable" in fields:
        suggestions_forget_everyone()
    if "friends_list" in fields:
        suggestions_forget(user_ids=_with_friends(user_id))


def profile_changed_forget(sender, *, user_id: int, **kwargs) -> None:
    """A name or a picture changed: answers show it (as a suggestion or a mutual friend)."""
    suggestions_forget_everyone()


def connect() -> None:
    """Called once from RecommendationsConfig.ready()."""
    from shop.accounts import events as account_events
    from shop.core.personal_data import personal_data_register
    from social.feed.asides import feed_aside_register
    from social.graph import events
    from social.graph.friends_sections import friends_section_register
    from social.recommendations.people_personal_data import people_erase, people_export
    from social.recommendations.people_views import feed_aside, friends_page_section

    for signal, receiver in (
        (events.friend_request_sent, request_changed_forget),
        (events.friend_request_closed, request_changed_forget),
        (events.friend_request_accepted, request_accepted_forget),
        (events.invite_accepted, invite_accepted_forget),
        (events.friendship_ended, friendship_ended_forget),
        (events.person_blocked, person_blocked_forget),
        (events.person_unblocked, person_unblocked_forget),
        (events.privacy_changed, privacy_changed_forget),
        (account_events.profile_changed, profile_changed_forget),
    ):
        signal.connect(
            receiver, weak=False, dispatch_uid=f"recommendations.people.{receiver.__name__}"
        )
    friends_section_register(friends_page_section)
    feed_aside_register(feed_aside)
    personal_data_register(name="people_you_may_know", exporter=people_export, eraser=people_erase)
