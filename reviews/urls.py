from django.urls import path

from reviews import views

urlpatterns = [
    path("products/<slug:slug>/reviews/", views.product_reviews, name="product-reviews"),
    path("products/<slug:slug>/reviews/write/", views.review_write, name="review-write"),
    path("reviews/<int:review_id>/vote/", views.review_vote, name="review-vote"),
    path("reviews/<int:review_id>/report/", views.review_report, name="review-report"),
    path("reviews/<int:review_id>/delete/", views.review_delete, name="review-delete"),
]
