from django.shortcuts import render

from shop.catalog import selectors


def home(request):
    return render(request, "catalog/home.html", {"sections": selectors.product_home_sections()})
