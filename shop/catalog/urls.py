from django.urls import path

from shop.catalog import views

urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="product-list"),
    path("products/<slug:slug>/", views.product_detail, name="product-detail"),
    path("categories/<slug:slug>/", views.category_detail, name="category-detail"),
    path("merchants/<slug:slug>/", views.merchant_detail, name="merchant-detail"),
]
