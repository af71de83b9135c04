"""The product page's reviews section (catalog's product_section_register): the rating
summary from the product's kept aggregates, in the page's cached parts (a review that changes
them moves the product's cache version). The reviews themselves come from their own URL
(/products/<slug>/reviews/), by htmx as the page loads, or as a plain page without
JavaScript: they change on their own and put the viewer's friends first."""

from django.template.loader import render_to_string

from reviews.selectors import rating_summary


def product_reviews_section(*, product) -> str:
    return render_to_string(
        "reviews/product_section.html",
        {"product": product, "summary": rating_summary(product)},
    )
