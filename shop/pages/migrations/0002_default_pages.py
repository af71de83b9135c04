from django.db import migrations

# The five pages the footer and checkout link to, as a fresh install has them: plain words for
# a demo shop, for the operator to rewrite in admin. Copied text (a migration must not change
# when the code does); a page that already exists is left as the operator wrote it.
DEFAULTS = [
    {
        "slug": "about",
        "title": "About us",
        "summary": "A small shop where you buy with your friends.",
        "body": """\
We are a small online shop with a social side: you can see what your friends like and bought, keep wishlists together, and pool money with friends for a gift.

The products come from a handful of independent merchants. Each merchant looks after their own catalogue and ships their own orders; we run the shop, take the payment and answer your questions.

## This is a demo shop
The merchants, products and prices you see here are made up. Payments run in test mode: no card is charged and nothing is shipped. Use the test card 4242 4242 4242 4242 with any future date and any three digits to try a checkout.""",
    },
    {
        "slug": "contact",
        "title": "Contact",
        "summary": "How to reach us about an order, a return or anything else.",
        "body": """\
Write to us at shop@agora.localhost and we answer within two working days.

## About an order
Please give your order number (it starts with AG-, as on your confirmation email). If you are signed in, your orders and their status are under Your orders in the account menu.

## About a product
Questions about a product (sizes, materials, care) are best sent to its merchant: the merchant's name is on the product page.""",
    },
    {
        "slug": "shipping-returns",
        "title": "Shipping and returns",
        "summary": "Delivery options and prices, and how to send something back.",
        "body": """\
## Delivery
You choose how your order travels at checkout:
- Standard delivery, 3-5 working days: €4.90
- Express delivery, next working day: €9.90
- Pickup point near you: free

Each merchant ships their own items, so an order from two merchants can arrive in two parcels. You get an email with the tracking number when a parcel leaves.

## Returns
You can return anything within 30 days of delivery, unused and in its packaging, for a full refund of the item's price. Write to us with your order number and we send you a return label. The refund goes back to the card you paid with within 5 working days of the parcel reaching the merchant.

## Cancelling
An order that has not shipped yet can be cancelled: write to us and we refund it in full.

This is a demo shop: nothing is really shipped or charged.""",
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "summary": "What we keep about you, why, and how to have it removed.",
        "body": """\
We keep only what the shop needs to work.

## What we keep
- Your account: username, email address, password (hashed, never readable), and the display name, bio and avatar you choose to add.
- Your orders: what you bought, the delivery address and the email address for the order.
- Your cart, so it is still there when you come back.

## What we do not keep
Card numbers never reach our server: payments go to the payment provider. We do not sell or share your data with advertisers, and we use no tracking cookies, only the cookies that keep you signed in and your cart.

## What others see
Your public profile shows your display name, bio and avatar. Anything social (likes, wishlists, purchases) has its own visibility setting, and purchases are shared with friends only if you choose to.

## Your rights
Write to shop@agora.localhost to get a copy of your data or to have your account deleted.""",
    },
    {
        "slug": "terms",
        "title": "Terms and conditions",
        "summary": "The terms of buying from this shop.",
        "body": """\
These terms apply to every order placed in this shop.

## Orders
Placing an order is an offer to buy. The contract is made when we confirm your payment by email. Prices include VAT and are shown in euros; the delivery price is added at checkout before you pay.

## Payment
You pay by card when you place the order. If a payment fails or is not completed in time, the order is cancelled and the items go back on the shelf.

## Delivery and returns
Delivery times, prices and returns are described on the Shipping and returns page: /pages/shipping-returns/

## Liability
We answer for items that arrive damaged or are not as described: write to us and we replace or refund them.

## Demo
This is a demonstration shop. No order placed here is binding, charged or shipped.""",
    },
]


def store_pages_add(apps, schema_editor):
    StorePage = apps.get_model("pages", "StorePage")
    for default in DEFAULTS:
        StorePage.objects.get_or_create(
            slug=default["slug"], defaults={k: v for k, v in default.items() if k != "slug"}
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_store_page")]

    operations = [migrations.RunPython(store_pages_add, migrations.RunPython.noop)]
