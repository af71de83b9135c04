"""What "products for you" and the personal home hook into at start-up (events heard,
product decorators and home sections registered).

Events heard, each marking whose picks to recompute (products_services.picks_mark_stale):
- an order paid: through the outbox (a row written in the delivery's transaction), a task
  counts it into "often bought together" once, and marks the buyer and their friends;
- a like or unlike: the person and their friends;
- a friendship made: both; a friendship ended, a block, a privacy change: both (the person
  and their friends for a privacy change) with their version moved at once, so a reason
  naming someone who may no longer be seen is never served from a cache.
"""

COPURCHASE_TOPIC = "recommendations.copurchase"


def _order_paid(sender, *, order_id: int, **kwargs) -> None:
    from shop.core.outbox import outbox_record

    outbox_record(topic=COPURCHASE_TOPIC, payload={"order_id": order_id})


def _like_changed(sender, *, user_id: int, **kwargs) -> None:
    from social.recommendations.products_services import picks_mark_stale

    picks_mark_stale(user_ids=[user_id], with_friends=True)


def _friend_request_accepted(sender, *, request_id: int, **kwargs) -> None:
    from social.graph.selectors import friend_request_get
    from social.recommendations.products_services import picks_mark_stale

    row = friend_request_get(request_id=request_id)
    if row is not None:
        picks_mark_stale(user_ids=[row.from_user_id, row.to_user_id])


def _invite_accepted(sender, *, referral_id: int, **kwargs) -> None:
    from social.graph.selectors import referral_get
    from social.recommendations.products_services import picks_mark_stale

    row = referral_get(referral_id=referral_id)
    if row is not None:
        picks_mark_stale(user_ids=[row.inviter_id, row.newcomer_id])


def _friendship_ended(sender, *, user_id: int, friend_id: int, **kwargs) -> None:
    from social.recommendations.products_services import picks_mark_stale

    picks_mark_stale(user_ids=[user_id, friend_id], hide_reasons=True)


def _person_blocked(sender, *, blocker_id: int, blocked_id: int, **kwargs) -> None:
    from social.recommendations.products_services import picks_mark_stale

    picks_mark_stale(user_ids=[blocker_id, blocked_id], hide_reasons=True)


def _privacy_changed(sender, *, user_id: int, **kwargs) -> None:
    from social.recommendations.products_services import picks_mark_stale

    picks_mark_stale(user_ids=[user_id], with_friends=True, hide_reasons=True)


def connect() -> None:
    """Called once from RecommendationsConfig.ready()."""
    from shop.catalog.home_sections import home_source_register
    from shop.catalog.page_cache import product_decorator_register
    from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
    from shop.core.personal_data import personal_data_register
    from shop.orders.events import order_paid
    from social.graph import events as graph_events
    from social.likes.events import like_changed
    from social.recommendations import products_tasks
    from social.recommendations.home_views import home_source
    from social.recommendations.products_decorations import product_decorate
    from social.recommendations.products_personal_data import products_erase, products_export

    outbox_deliverer_register(
        prefix="recommendations.",
        deliverer=TaskDeliverer(tasks={COPURCHASE_TOPIC: products_tasks.copurchase_order_count}),
    )
    for signal, receiver in (
        (order_paid, _order_paid),
        (like_changed, _like_changed),
        (graph_events.friend_request_accepted, _friend_request_accepted),
        (graph_events.invite_accepted, _invite_accepted),
        (graph_events.friendship_ended, _friendship_ended),
        (graph_events.person_blocked, _person_blocked),
        (graph_events.privacy_changed, _privacy_changed),
    ):
        signal.connect(receiver, weak=False, dispatch_uid=f"recommendations.{receiver.__name__}")
    product_decorator_register(product_decorate)
    home_source_register(home_source)
    personal_data_register(name="recommendations", exporter=products_export, eraser=products_erase)
