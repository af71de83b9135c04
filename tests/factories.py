"""factory_boy factories for every model the tests build."""

import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image

from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def image_bytes(
    *, size: tuple[int, int] = (16, 16), color: str = "teal", fmt: str = "PNG"
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Give the user a verified primary email (allauth), unless verified=False."""
        if not create or extracted is False:
            if create:
                self.save()
            return
        self.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=self, email=self.email, defaults={"verified": True, "primary": True}
        )


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Merchant {n}")
    slug = factory.Sequence(lambda n: f"merchant-{n}")
    description = factory.Faker("sentence")

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.add(*extracted)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    parent = None


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    merchant = factory.SubFactory(MerchantFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = factory.Faker("paragraph")
    brand = "Acme"
    is_published = True

    @factory.post_generation
    def with_variants(self, create, extracted, **kwargs):
        """ProductFactory(with_variants=2) adds that many variants (default 1)."""
        if not create:
            return
        count = 1 if extracted is None else extracted
        for index in range(count):
            VariantFactory(product=self, position=index, price=1000 + 500 * index)

    @factory.post_generation
    def with_images(self, create, extracted, **kwargs):
        """ProductFactory(with_images=2) adds that many images (default none)."""
        if create and extracted:
            for index in range(extracted):
                ProductImageFactory(product=self, position=index)


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory, with_variants=0)
    sku = factory.Sequence(lambda n: f"SKU-{n:06d}")
    name = factory.Sequence(lambda n: f"Option {n}")
    price = 1999
    stock = 10


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="p.png"))
    thumbnail = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="t.png"))
    alt_text = factory.Sequence(lambda n: f"Photo {n}")


# --- cart, orders, payments ------------------------------------------------------------------


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Address"

    user = factory.SubFactory(UserFactory)
    full_name = factory.Faker("name")
    line1 = "12 Rue des Lilas"
    postal_code = "75011"
    city = "Paris"
    country = "FR"


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cart.Cart"

    user = None


class CartLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cart.CartLine"

    cart = factory.SubFactory(CartFactory)
    variant = factory.SubFactory(VariantFactory)
    quantity = 1


class DiscountCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cart.DiscountCode"

    code = factory.Sequence(lambda n: f"SAVE{n}")
    kind = "percent"
    value = 10


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.ShippingMethod"
        django_get_or_create = ("code",)

    name = "Standard delivery"
    code = "standard"
    price = 490
