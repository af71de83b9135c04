"""What pools do when payments tell them something (connected in PoolsConfig.ready())."""


def payment_succeeded(sender, *, payment_id: int, reference: str, **kwargs) -> None:
    """A contribution's payment succeeded (delivered from the outbox, at least once): apply it
    once. If this raises, the outbox row stays unsent and beat delivers it again."""
    from gifting.pools.payments import contribution_payment_succeeded

    contribution_payment_succeeded(payment_id=payment_id, reference=reference)


def payment_failed(sender, *, payment_id: int, reference: str, **kwargs) -> None:
    """A contribution's payment was declined: its reservation is released."""
    from gifting.pools.payments import contribution_payment_failed

    contribution_payment_failed(payment_id=payment_id, reference=reference)
