"""The gift pools' API under /api/v1/ (included by config/api_urls.py)."""

from django.urls import path

from gifting.pools import api, contributions_api

urlpatterns = [
    path("pools", api.PoolsApi.as_view(), name="api_pools"),
    path("pools/<int:pool_id>", api.PoolDetailApi.as_view(), name="api_pool"),
    path("pools/<int:pool_id>/extend", api.PoolExtendApi.as_view(), name="api_pool_extend"),
    path("pools/<int:pool_id>/top-up", api.PoolTopUpApi.as_view(), name="api_pool_top_up"),
    path("pools/<int:pool_id>/switch", api.PoolSwitchApi.as_view(), name="api_pool_switch"),
    path("pools/<int:pool_id>/close", api.PoolCloseApi.as_view(), name="api_pool_close"),
    path("pools/<int:pool_id>/order", api.PoolOrderApi.as_view(), name="api_pool_order"),
    path(
        "pools/<int:pool_id>/contributions",
        contributions_api.PoolContributionsApi.as_view(),
        name="api_pool_contributions",
    ),
    path("pools/<int:pool_id>/card", contributions_api.PoolCardApi.as_view(), name="api_pool_card"),
    path("pools/<str:token>", api.PoolByTokenApi.as_view(), name="api_pool_by_token"),
]
