from django.urls import re_path
from rest_framework.routers import SimpleRouter

from social.graph import api, invite_api, people_api

router = SimpleRouter()
# SimpleRouter's __init__ turns any truthy trailing_slash into "/"; set the optional one after.
router.trailing_slash = "/?"
router.register("friend-requests", api.FriendRequestApi, basename="api-friend-request")
router.register("follows", api.FollowApi, basename="api-follow")
router.register("blocks", api.BlockApi, basename="api-block")
router.register("invites", invite_api.InviteApi, basename="api-invite")

urlpatterns = [
    re_path(r"^friends/?$", api.FriendListApi.as_view(), name="api-friends"),
    re_path(r"^friends/(?P<username>[^/]+)/?$", api.FriendDetailApi.as_view(), name="api-friend"),
    re_path(r"^people/?$", people_api.PeopleSearchApi.as_view(), name="api-people"),
    re_path(
        r"^people/(?P<username>[^/]+)/?$", people_api.PersonDetailApi.as_view(), name="api-person"
    ),
    re_path(
        r"^people/(?P<username>[^/]+)/friends/?$",
        people_api.PersonFriendsApi.as_view(),
        name="api-person-friends",
    ),
    re_path(r"^settings/privacy/?$", api.PrivacySettingsApi.as_view(), name="api-settings-privacy"),
    *router.urls,
]
