"""The notifications wishlists send their owners: a wish got cheaper, a wish is back in stock.
They name the wish and its list, never who has claimed or bought it (the owner's surprise)."""

PRICE_DROP_KIND = "wishlist_price_drop"
BACK_IN_STOCK_KIND = "wishlist_back_in_stock"


def alert_kinds_register() -> None:
    from social.notifications.kinds import NotificationKind, notification_kind_register

    notification_kind_register(
        NotificationKind(
            key=PRICE_DROP_KIND,
            label="Something on my wishlists gets cheaper",
            text="{product} on your list “{wishlist}” is now {price} (was {old_price})",
            email_subject="Price drop: {product} is now {price}",
            order=90,
        )
    )
    notification_kind_register(
        NotificationKind(
            key=BACK_IN_STOCK_KIND,
            label="Something on my wishlists is back in stock",
            text="{product} on your list “{wishlist}” is back in stock",
            email_subject="Back in stock: {product}",
            order=91,
        )
    )
