"""The store's own pages (about, contact, shipping and returns, privacy, terms), written in admin.

A small model rather than django.contrib.flatpages: a page has a fixed address made from its
slug (the footer and checkout link to /pages/terms/ and /pages/shipping-returns/, so an edit
cannot move them), it can be unpublished without being deleted, and its text is plain text
rendered escaped (templatetags.store_pages), never HTML typed into admin.
"""

from django.db import models

# The pages the footer and checkout link to by address. The data migration 0002 writes them.
STORE_PAGE_SLUGS = ("about", "contact", "shipping-returns", "privacy", "terms")

BODY_HELP = (
    "Plain text. A blank line starts a new paragraph; a line starting with “## ” is a "
    "heading; lines starting with “- ” make a list. Web and email addresses become links."
)


class StorePage(models.Model):
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text=(
            "The page's address: /pages/<slug>/. The footer links to about, contact, "
            "shipping-returns, privacy and terms, and checkout to the last two."
        ),
    )
    title = models.CharField(max_length=120)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence for search engines and link previews."
    )
    body = models.TextField(help_text=BODY_HELP)
    is_published = models.BooleanField(
        "published",
        default=True,
        help_text=(
            "Unpublished pages answer “not found” to shoppers (the operator still sees them, "
            "marked as drafts). The footer and checkout keep linking to the five pages above."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "store page"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/pages/{self.slug}/"
