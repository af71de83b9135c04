"""The feed's section of a person's page (/people/<username>/): their own newest activity
that the viewer may see, grouped as the feed groups it. Registered with the graph's
profile-section registry in FeedConfig.ready() (graph never imports the feed)."""

from django.template.loader import render_to_string

from social.feed import selectors
from social.feed.cards import entries_decorate


def person_activity_section(*, viewer, person) -> str:
    """The Activity <section> of PERSON's page for VIEWER (a user or None): one query."""
    page = selectors.person_activity_page(viewer=viewer, person=person)
    entries_decorate(page.entries, viewer=viewer)
    is_self = viewer is not None and viewer.pk == person.pk
    return render_to_string(
        "social/feed/includes/profile_activity.html",
        {
            "page": page,
            "person": person,
            "is_self": is_self,
            "viewer_id": viewer.pk if viewer is not None else None,
        },
    )
