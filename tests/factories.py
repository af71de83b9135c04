"""factory_boy factories for every model the tests build."""

import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image

from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant
from shop.orders import services
from shop.orders.addresses import AddressInput

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


# --- builders the cart, order and payment tests share -------------------------------------------

GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
ACTION_CARD = "4000 0025 0000 3155"
ADDRESS = {
    "full_name": "Ada Lovelace",
    "line1": "12 Rue des Lilas",
    "line2": "",
    "postal_code": "75011",
    "city": "Paris",
    "country": "FR",
    "phone": "",
}


def address_input(**overrides):
    """The shipping address of ADDRESS as services.order_place takes it, with `overrides`."""
    return AddressInput(**{**ADDRESS, **overrides})


def variant_make(*, price=2500, stock=10, merchant=None, title=None, **product_fields):
    """A variant of its own product (of a new merchant unless `merchant`)."""
    fields = {"merchant": merchant or MerchantFactory(), "with_variants": 0, **product_fields}
    if title:
        fields["title"] = title
    product = ProductFactory(**fields)
    return VariantFactory(product=product, price=price, stock=stock)


def cart_make(*variants_and_quantities, user=None, discount=None):
    """A cart holding (variant, quantity) pairs."""
    cart = CartFactory(user=user, discount_code=discount)
    for variant, quantity in variants_and_quantities:
        CartLineFactory(cart=cart, variant=variant, quantity=quantity)
    return cart


def cart_new(*, user=None, lines=1, price=2500, quantity=1, images=False):
    """A cart of `lines` products named "Product <n>", spread over merchants Shop A, B, C."""
    cart = CartFactory(user=user)
    merchants = [MerchantFactory(name=f"Shop {letter}") for letter in "ABC"][: max(1, lines)]
    for index in range(lines):
        product = ProductFactory(
            title=f"Product {index}",
            merchant=merchants[index % len(merchants)],
            with_variants=0,
            description="",
        )
        if images:
            ProductImageFactory(product=product, alt_text=product.title)
        variant = VariantFactory(product=product, name="Standard", price=price, stock=10)
        CartLineFactory(cart=cart, variant=variant, quantity=quantity)
    return cart


def cart_fill(cart, *, lines: int) -> None:
    """Add `lines` lines of 2 units, each product with an image (for query-count tests)."""
    for _ in range(lines):
        line = CartLineFactory(cart=cart, quantity=2)
        ProductImageFactory(product=line.variant.product)


def guest_cart_use(client, cart) -> None:
    """Make `cart` the visitor's cart, as adding to the cart does (its token in the session)."""
    session = client.session
    session["cart_token"] = cart.token
    session.save()


def order_place(cart, *, method, customer=None, email="guest@example.com"):
    """Place an order of `cart` to ADDRESS (a signed-in `customer`'s with their email)."""
    return services.order_place(
        cart=cart,
        customer=customer,
        email=customer.email if customer else email,
        address=address_input(),
        shipping_method_id=method.pk,
    )


# --- the social graph -------------------------------------------------------------------------


def friends_make(person, *others) -> None:
    """Make `person` friends with each of `others` (both halves, as the services write them)."""
    from social.graph.models import Friendship

    Friendship.objects.bulk_create(
        [
            half
            for other in others
            for half in (
                Friendship(user=person, friend=other),
                Friendship(user=other, friend=person),
            )
        ]
    )


def friends_many(person, count: int) -> list:
    """Make `count` new people, each a friend of `person`; return them."""
    people = UserFactory.create_batch(count, verified=False)
    friends_make(person, *people)
    return people


def privacy_set(person, **settings) -> None:
    """Give `person` these privacy settings (e.g. profile="public")."""
    from social.graph.models import PrivacySettings

    PrivacySettings.objects.update_or_create(user=person, defaults=settings)


def purchases_make(customer, products, *, status="paid") -> object:
    """A purchased order of CUSTOMER (status `paid` unless told) with one line of each of
    PRODUCTS' first variant, written directly (for many buyers at once in query-count tests
    and benches; the checkout itself is tested in tests/shop/orders)."""
    from django.utils import timezone

    from shop.orders.models import Order, OrderLine

    order = Order.objects.create(
        customer=customer,
        email=customer.email,
        status=status,
        currency="EUR",
        subtotal=0,
        total=0,
        ship_full_name="A Buyer",
        ship_line1="1 Road",
        ship_postal_code="1000",
        ship_city="Town",
        ship_country="BE",
        shipping_method_name="Standard",
        paid_at=timezone.now() if status != "pending_payment" else None,
    )
    lines = []
    for product in products:
        variant = product.variants.order_by("position", "id").first()
        lines.append(
            OrderLine(
                order=order,
                merchant_id=product.merchant_id,
                variant=variant,
                product_title=product.title,
                product_slug=product.slug,
                variant_name=variant.name if variant else "",
                sku=variant.sku if variant else "",
                unit_price=0,
                quantity=1,
                line_total=0,
            )
        )
    OrderLine.objects.bulk_create(lines)
    return order
