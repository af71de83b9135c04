"""What the questions' tests share: a product, its merchant's staff, a buyer, a shopper."""

from dataclasses import dataclass

from shop.catalog.services import merchant_staff_add
from tests.factories import MerchantFactory, ProductFactory, UserFactory, purchases_make


@dataclass
class Shop:
    product: object
    merchant: object
    staff: object
    buyer: object
    shopper: object


def shop_make() -> Shop:
    merchant = MerchantFactory(name="Lumen Studio", slug="lumen")
    product = ProductFactory(title="Brass Lamp", slug="brass-lamp", merchant=merchant)
    staff = UserFactory(username="staffer", display_name="Sam Staff", email="sam@lumen.test")
    merchant_staff_add(merchant=merchant, user=staff)
    buyer = UserFactory(username="buyer", display_name="Bianca Buyer")
    purchases_make(buyer, [product], status="fulfilled")
    shopper = UserFactory(username="shopper", display_name="Ada Shopper")
    return Shop(product=product, merchant=merchant, staff=staff, buyer=buyer, shopper=shopper)
