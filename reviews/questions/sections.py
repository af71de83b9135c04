"""The questions' section of every product page (shop.catalog.product_sections): a heading
and a link to the product's questions, which htmx replaces by the questions themselves when
the section scrolls into view. The same for everyone and no query: the page stays cached."""

from django.template.loader import render_to_string

from reviews.questions.selectors import questions_url


def product_questions_section(*, product) -> str:
    return render_to_string(
        "questions/product_section.html", {"product": product, "url": questions_url(product)}
    )
