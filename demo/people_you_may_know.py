""" "People you may know" in the demo: the shopper signs in to /friends/ and the feed and sees
people they may know, most mutual friends first, each with the friends they share.

The community's ring of friendships (demo/data/community.toml) already makes the shopper's
friends share friends with people the shopper does not know; this plants a few more ties so
the first suggestions have clearly different reasons (four, three and two mutual friends)
and the demo's journey (tests/e2e/test_people_you_may_know.py) has people to add and to
dismiss. Idempotent: friendships already there are skipped (graph's friendships_import).
"""

from collections import Counter

from django.contrib.auth import get_user_model

from demo.community import community_spec
from social.graph.services import friendships_import

# Someone the shopper does not know yet -> the shopper's friends they are also friends with.
PLANTED = {
    "julia": ("lena", "sofia", "noah", "robin"),
    "oskar": ("felix", "ingrid", "robin"),
    "lucas": ("elif", "tomas"),
}


def people_you_may_know_build(*, created: Counter) -> None:
    """Plant the friendships that make the shopper's first suggestions (see PLANTED)."""
    spec = community_spec()
    known = {spec.shopper, *spec.friends, *spec.requests_received, *spec.requests_sent}
    if known & set(PLANTED):
        raise ValueError(f"The shopper already knows {known & set(PLANTED)}: plant strangers")
    names = set(PLANTED) | {f for friends in PLANTED.values() for f in friends}
    ids = dict(get_user_model().objects.filter(username__in=names).values_list("username", "pk"))
    pairs = [
        (ids[person], ids[friend]) for person, friends in PLANTED.items() for friend in friends
    ]
    created["suggestion friendships"] += friendships_import(pairs=pairs)
