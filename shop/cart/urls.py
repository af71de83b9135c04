"""/cart/ (included by config/urls.py)."""

from django.urls import path

from shop.cart import views

urlpatterns = [
    path("", views.cart_detail, name="cart"),
    path("add/", views.cart_add, name="cart-add"),
    path("lines/<int:line_id>/", views.cart_line_update, name="cart-line-update"),
    path("lines/<int:line_id>/remove/", views.cart_line_remove, name="cart-line-remove"),
    path("discount/", views.cart_discount_apply, name="cart-discount-apply"),
    path("discount/remove/", views.cart_discount_remove, name="cart-discount-remove"),
]
