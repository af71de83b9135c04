import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


def catalog_upload_to(instance, filename: str) -> str:
    # The uploaded name is never used: images are re-encoded under a random name.
    return f"catalog/{secrets.token_hex(2)}/{secrets.token_hex(16)}.webp"


class Merchant(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(
        blank=True, help_text="About the merchant, shown on its public page."
    )
    logo = models.ImageField(upload_to=catalog_upload_to, blank=True)
    returns_policy = models.TextField(
        blank=True, help_text="How returns work, shown on the merchant's page."
    )
    shipping_policy = models.TextField(
        blank=True, help_text="How and where the merchant ships, shown on the merchant's page."
    )
    ships_within_days = models.PositiveSmallIntegerField(
        default=3,
        help_text="Days promised between payment and shipping; the fulfilment record counts "
        "the share of order lines shipped within them.",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="merchants",
        blank=True,
        help_text="People who manage this merchant's products and orders in admin.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/merchants/{self.slug}/"


class Category(models.Model):
    """A node of the category tree. The tree is small and read whole (selectors cache it)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="catalog_category_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/categories/{self.slug}/"


class Product(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    brand = models.CharField(max_length=80, blank=True, db_index=True)
    attributes = models.JSONField(
        default=dict,
        blank=True,
        help_text='Further attributes shown on the product page, e.g. {"material": "cotton"}.',
    )
    is_published = models.BooleanField("published", default=False, db_index=True)
    is_featured = models.BooleanField("featured", default=False)
    # Kept by the orders service (conditional UPDATE) when an order is paid.
    units_sold = models.PositiveIntegerField(default=0, editable=False)
    # The ratings of its visible reviews, kept by the reviews app through catalog's
    # product_rating_change (conditional UPDATE in the review's transaction): never recounted
    # per request. rating_sum / rating_count is the plain average; the list sorts by a damped one.
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    rating_1 = models.PositiveIntegerField("1-star ratings", default=0, editable=False)
    rating_2 = models.PositiveIntegerField("2-star ratings", default=0, editable=False)
    rating_3 = models.PositiveIntegerField("3-star ratings", default=0, editable=False)
    rating_4 = models.PositiveIntegerField("4-star ratings", default=0, editable=False)
    rating_5 = models.PositiveIntegerField("5-star ratings", default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["is_published", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/products/{self.slug}/"


class Variant(models.Model):
    """A purchasable form of a product. Prices are integer minor units of the store currency."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField("SKU", max_length=64, unique=True)
    name = models.CharField(max_length=120, help_text="Shown in the picker, e.g. 'M / Red'.")
    options = models.JSONField(default=dict, blank=True, help_text='e.g. {"size": "M"}')
    price = models.PositiveIntegerField(help_text="In cents (minor units).")
    compare_at_price = models.PositiveIntegerField(
        "compare-at price",
        null=True,
        blank=True,
        help_text="Former price in cents, shown struck through.",
    )
    stock = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="catalog_variant_stock_gte_0"),
            models.CheckConstraint(
                condition=Q(compare_at_price__isnull=True)
                | Q(compare_at_price__gt=models.F("price")),
                name="catalog_variant_compare_at_above_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} – {self.name}" if self.name else self.sku

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        upload_to=catalog_upload_to, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(upload_to=catalog_upload_to, blank=True, editable=False)
    # The product page's main picture (services.DISPLAY_SIZE) and the same twice as large for
    # high-density screens (srcset 1x, 2x); made from `image` when it is stored. Empty on a
    # row older than them (the page shows `image`) or, for the 2x, when `image` is too small.
    display = models.ImageField(upload_to=catalog_upload_to, blank=True, editable=False)
    display_2x = models.ImageField(upload_to=catalog_upload_to, blank=True, editable=False)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(
        max_length=200, help_text="Describes the picture for people who cannot see it."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt_text
