"""The demo community (demo/data/community.toml): about forty people with names, avatars and
bios, friends with each other, and the demo shopper among them with a dozen friends, two
requests waiting for an answer, one sent, and two merchants followed.

Idempotent like the rest of the demo: people are found by username, avatars drawn only for
people without one, settings written only for people who have none, and each friendship,
request and follow made only when it is not there yet. Ties are made through the graph's
services, the path the site takes. `community_build` runs inside the demo's transaction.
"""

import io
import os
import tomllib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from demo.notifications import demo_notifications_ensure
from demo.pictures import logo_draw
from demo.specs import DATA_DIR
from shop.catalog.selectors import merchant_get
from social.graph import selectors, services
from social.graph.models import FriendRequest, PrivacySettings

AVATAR_SIZE = 256
AVATAR_THUMB_SIZE = 128
MEDIA_FOLDER = "avatars/demo"
# Soft colours for the initials' discs, taken in turn.
PALETTE = [
    (214, 140, 120),
    (120, 170, 160),
    (150, 140, 200),
    (230, 190, 110),
    (120, 150, 190),
    (190, 130, 160),
    (140, 180, 120),
    (200, 160, 130),
]
PRIVACY_FIELDS = ("profile", "friends_list", "purchases", "likes", "wishlists", "discoverable")
REQUEST_MESSAGES = ["We met at Lena's dinner!", "Hi! Friends of Robin's, I think.", ""]


@dataclass(frozen=True)
class PersonSpec:
    username: str
    display_name: str
    bio: str
    privacy: dict


@dataclass(frozen=True)
class CommunitySpec:
    shopper: str
    shopper_bio: str
    friends: tuple[str, ...]
    requests_received: tuple[str, ...]
    requests_sent: tuple[str, ...]
    follows_merchants: tuple[str, ...]
    steps: tuple[int, ...]
    people: tuple[PersonSpec, ...]
    # Who the shopper's unread notifications name (demo/notifications.py).
    notified_accepted_by: str = ""

    def ties(self) -> list[tuple[str, str]]:
        """Every friendship to make, as (username, username), the shopper's included."""
        names = [person.username for person in self.people]
        pairs = {
            tuple(sorted((names[i], names[(i + step) % len(names)])))
            for i in range(len(names))
            for step in self.steps
        }
        pairs |= {tuple(sorted((self.shopper, friend))) for friend in self.friends}
        return sorted(pairs)


@cache
def community_spec() -> CommunitySpec:
    with (DATA_DIR / "community.toml").open("rb") as file:
        data = tomllib.load(file)
    shopper = data["shopper"]
    people = tuple(
        PersonSpec(
            username=p["username"],
            display_name=p.get("display_name", ""),
            bio=p["bio"],
            privacy={field: p[field] for field in PRIVACY_FIELDS if field in p},
        )
        for p in data["people"]
    )
    spec = CommunitySpec(
        shopper=shopper["username"],
        shopper_bio=shopper["bio"],
        friends=tuple(shopper["friends"]),
        requests_received=tuple(shopper["requests_received"]),
        requests_sent=tuple(shopper["requests_sent"]),
        follows_merchants=tuple(shopper["follows_merchants"]),
        steps=tuple(data["ties"]["steps"]),
        people=people,
        notified_accepted_by=shopper.get("notified_accepted_by", ""),
    )
    _check(spec)
    return spec


def _check(spec: CommunitySpec) -> None:
    """Fail at once on a name the file uses but does not define, or a request to a friend."""
    names = {person.username for person in spec.people}
    named = {*spec.friends, *spec.requests_received, *spec.requests_sent}
    named |= {spec.notified_accepted_by} if spec.notified_accepted_by else set()
    if named - names:
        raise ValueError(f"community.toml names people it does not define: {named - names}")
    asked = {*spec.requests_received, *spec.requests_sent}
    if asked & set(spec.friends):
        raise ValueError(f"The shopper is already friends with {asked & set(spec.friends)}")


def _avatar_draw(item: tuple[str, tuple[int, int, int]]) -> tuple[bytes, bytes]:
    """Draw a person's initials on a disc: the avatar and its thumbnail, as WebP bytes."""
    name, colour = item
    full = logo_draw(name=name, colour=colour, size=AVATAR_SIZE)
    with Image.open(io.BytesIO(full)) as image:
        small = image.resize((AVATAR_THUMB_SIZE, AVATAR_THUMB_SIZE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        small.save(out, "WEBP", quality=82, method=0)
    return full, out.getvalue()


def _storage_put(name: str, data: bytes) -> str:
    # Fixed names: a rerun on a fresh database replaces the files instead of piling up copies.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def _people_ensure(spec: CommunitySpec, created: Counter) -> dict:
    User = get_user_model()
    wanted = [spec.shopper, *(person.username for person in spec.people)]
    by_name = {person.username: person for person in spec.people}
    found = {u.username: u for u in User.objects.filter(username__in=wanted)}
    # People have no creation service (they sign up through allauth's forms). These cannot
    # sign in: no password.
    new = []
    for username in wanted:
        if username not in found:
            user = User(
                username=username,
                email=f"{username}@people.agora.test",
                display_name=by_name[username].display_name,
            )
            user.set_unusable_password()
            new.append(user)
    if new:
        User.objects.bulk_create(new)
        found.update({u.username: u for u in User.objects.filter(username__in=wanted)})
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=found[u.username], email=u.email, verified=True, primary=True)
                for u in new
            ]
        )
        created["people"] += len(new)

    people = [found[username] for username in wanted]
    changed = []
    for user in people:
        if not user.bio:
            user.bio = by_name[user.username].bio if user.username in by_name else spec.shopper_bio
            changed.append(user)
    undrawn = [user for user in people if not user.avatar]
    items = [
        (user.public_name, PALETTE[wanted.index(user.username) % len(PALETTE)]) for user in undrawn
    ]
    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        pictures = list(pool.map(_avatar_draw, items))
    for user, (full, thumb) in zip(undrawn, pictures, strict=True):
        user.avatar.name = _storage_put(f"{MEDIA_FOLDER}/{user.username}.webp", full)
        user.avatar_thumb.name = _storage_put(f"{MEDIA_FOLDER}/{user.username}-thumb.webp", thumb)
    created["avatars"] += len(undrawn)
    changed = list({user.pk: user for user in [*changed, *undrawn]}.values())
    if changed:
        User.objects.bulk_update(changed, ["bio", "avatar", "avatar_thumb"], batch_size=200)

    with_settings = set(
        PrivacySettings.objects.filter(user__in=people).values_list("user_id", flat=True)
    )
    for user in people:
        privacy = by_name[user.username].privacy if user.username in by_name else {}
        if privacy and user.pk not in with_settings:
            services.privacy_settings_update(user=user, **privacy)
            created["privacy settings"] += 1
    return {user.username: user for user in people}


def _ties_ensure(spec: CommunitySpec, people: dict, created: Counter) -> None:
    # The background of the community is written at once (friendships_import); what the
    # shopper will see waiting goes through the services one by one below.
    created["friendships"] += services.friendships_import(
        pairs=[(people[a].pk, people[b].pk) for a, b in spec.ties()]
    )


def _request_ensure(*, sender, to, message: str, created: Counter) -> None:
    waiting = FriendRequest.objects.filter(
        from_user=sender, to_user=to, status=FriendRequest.Status.PENDING
    ).exists()
    if waiting or selectors.is_friend(user=sender, other=to):
        return
    services.friend_request_send(sender=sender, to=to, message=message)
    created["friend requests"] += 1


def community_build(*, created: Counter) -> None:
    """Create whatever of the demo community is missing (the accounts of accounts.toml and
    the merchants exist already)."""
    spec = community_spec()
    people = _people_ensure(spec, created)
    _ties_ensure(spec, people, created)
    shopper = people[spec.shopper]
    for index, username in enumerate(spec.requests_received):
        _request_ensure(
            sender=people[username],
            to=shopper,
            message=REQUEST_MESSAGES[index % len(REQUEST_MESSAGES)],
            created=created,
        )
    for username in spec.requests_sent:
        _request_ensure(sender=shopper, to=people[username], message="", created=created)
    followed = set(selectors.follow_list(user=shopper).values_list("merchant__slug", flat=True))
    for slug in spec.follows_merchants:
        if slug not in followed:
            services.merchant_follow(follower=shopper, merchant=merchant_get(slug=slug))
            created["follows"] += 1
    demo_notifications_ensure(
        shopper=shopper,
        accepted_by=people.get(spec.notified_accepted_by),
        created=created,
    )
