"""The pages of gift pools, at /pools/ (mounted in config/urls.py)."""

from django.urls import path

from gifting.pools import views, views_open

urlpatterns = [
    path("pools/", views.pools_page, name="pools_page"),
    path("pools/new/", views_open.pool_new, name="pool_new"),
    path("pools/new/amount/", views_open.pool_new_amount, name="pool_new_amount"),
    path("pools/<str:token>/", views.pool_page, name="pool_page"),
    path("pools/<str:token>/chip-in/", views.pool_chip_in, name="pool_chip_in"),
    path(
        "pools/<str:token>/pay/<int:contribution_id>/",
        views.pool_contribution_pay,
        name="pool_contribution_pay",
    ),
    path(
        "pools/<str:token>/pay/<int:contribution_id>/confirm/",
        views.pool_contribution_confirm,
        name="pool_contribution_confirm",
    ),
    path(
        "pools/<str:token>/pay/<int:contribution_id>/cancel/",
        views.pool_contribution_cancel,
        name="pool_contribution_cancel",
    ),
    path("pools/<str:token>/invite/", views.pool_invite, name="pool_invite"),
    path("pools/<str:token>/order/", views.pool_order, name="pool_order"),
    path("pools/<str:token>/extend/", views.pool_extend, name="pool_extend"),
    path("pools/<str:token>/top-up/", views.pool_top_up, name="pool_top_up"),
    path("pools/<str:token>/choose/", views_open.pool_choose, name="pool_choose"),
    path("pools/<str:token>/close/", views.pool_close, name="pool_close"),
    path("pools/<str:token>/gift/", views.pool_gift, name="pool_gift"),
    path("pools/<str:token>/card.pdf", views.pool_card, name="pool_card"),
]
