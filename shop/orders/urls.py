"""Checkout and order pages, included at the site root (before the catalogue)."""

from django.urls import path, re_path

from shop.orders import views, views_stripe

# Order numbers are AG- and ten letters or digits; anything else cannot name an order, so it
# is a 404 before the database is asked (PostgreSQL refuses NUL characters with an error).
NUMBER = r"(?P<number>[A-Za-z0-9-]{1,20})"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/review/", views.checkout_review, name="checkout-review"),
    path("orders/", views.order_list, name="order-list"),
    re_path(rf"^orders/{NUMBER}/$", views.order_detail, name="order-detail"),
    re_path(rf"^orders/{NUMBER}/pay/$", views_stripe.order_pay, name="order-pay"),
    re_path(
        rf"^orders/{NUMBER}/pay/confirm/$",
        views_stripe.order_pay_confirm,
        name="order-pay-confirm",
    ),
    re_path(
        rf"^orders/{NUMBER}/confirmation/$", views.order_confirmation, name="order-confirmation"
    ),
    re_path(rf"^orders/{NUMBER}/cancel/$", views.order_cancel, name="order-cancel"),
]
