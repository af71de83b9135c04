"""The feed's part of "download my data" and "delete my account": the activities a person
recorded (what they bought, liked, shared, as their friends saw it). Erasing deletes them
and the person's own feed."""

from social.feed.models import Activity, FeedItem, FeedState
from social.feed.page_cache import feed_activities_changed


def feed_export(user) -> dict:
    """Return USER's activities, oldest first."""
    activities = Activity.objects.filter(actor_id=user.pk).order_by("created_at", "id")
    return {
        "activities": [
            {
                "what": activity.get_verb_display(),
                "about": activity.snapshot.get("title", ""),
                "visibility": activity.visibility,
                "at": activity.created_at.isoformat(),
            }
            for activity in activities
        ]
    }


def feed_erase(user) -> None:
    """Delete USER's activities (from every feed) and their own feed."""
    activities = Activity.objects.filter(actor_id=user.pk)
    feed_activities_changed(activities=activities)
    activities.delete()
    FeedItem.objects.filter(owner_id=user.pk).delete()
    FeedState.objects.filter(user_id=user.pk).delete()
