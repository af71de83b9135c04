"""Pools in the admin: read-only (search and filter), with their contributions, refunds and
history. Pools and contributions change only through gifting.pools' services, contributions and
lifecycle (their sums and states are kept under row locks there); the one thing operators do here
is retry the refunds the gateway could not make yet (gifting.pools.refunds), including those that
need an operator (filter "status": Needs an operator), which are retried nowhere else."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from gifting.pools import refunds
from gifting.pools.models import Contribution, Pool, PoolRefund, PoolTransition
from shop.core.money import money_format


class _ReadOnly:
    """Every field shown, none editable; nothing added or changed here."""

    def get_readonly_fields(self, request, obj=None):
        shown = [field.name for field in self.model._meta.concrete_fields]
        return [*shown, *getattr(self, "computed_fields", [])]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ContributionInline(_ReadOnly, admin.TabularInline):
    model = Contribution
    extra = 0
    fields = [
        "contributor",
        "guest_name",
        "guest_email",
        "amount",
        "status",
        "reserved_until",
        "succeeded_at",
        "refunded_amount",
        "payment",
        "payment_attempts",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contributor", "payment")


class PoolTransitionInline(_ReadOnly, admin.TabularInline):
    model = PoolTransition
    extra = 0
    fields = ["from_state", "to_state", "by", "note", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


def _retry(modeladmin, request, queryset) -> None:
    made, failing = refunds.pool_refunds_retry_now(refunds=queryset)
    if made:
        modeladmin.message_user(request, f"{made} refund(s) made.", messages.SUCCESS)
    if failing:
        modeladmin.message_user(
            request,
            f"{failing} refund(s) still not made: see their status and last error. Failed ones "
            "are retried automatically; those needing an operator only from here.",
            messages.WARNING,
        )
    if not made and not failing:
        modeladmin.message_user(request, "No refund was waiting.", messages.INFO)


@admin.register(Pool)
class PoolAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = [
        "__str__",
        "organiser",
        "recipient_name",
        "state",
        "target_display",
        "collected_display",
        "reserved_display",
        "deadline",
    ]
    list_filter = ["state"]
    list_select_related = ["organiser"]
    search_fields = [
        "token",
        "organiser__username",
        "organiser__email",
        "recipient_name",
        "recipient__username",
    ]
    inlines = [ContributionInline, PoolTransitionInline]
    actions = ["refunds_retry"]
    computed_fields = ["refunds_table"]

    @admin.display(description="refunds")
    def refunds_table(self, pool: Pool) -> str:
        """The pool's refunds (PoolRefund hangs from a contribution, so no inline): status,
        attempts and the last error, which operators retry with the action."""
        rows = PoolRefund.objects.filter(contribution__pool_id=pool.pk).order_by("created_at", "id")
        if not rows:
            return "None"
        return format_html(
            '<table><thead><tr><th scope="col">Contribution</th><th scope="col">Amount</th>'
            '<th scope="col">Status</th><th scope="col">Attempts</th>'
            '<th scope="col">Next try</th><th scope="col">Last error</th>'
            '<th scope="col">Reason</th></tr></thead><tbody>{}</tbody></table>',
            format_html_join(
                "",
                "<tr><td>#{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                "<td>{}</td></tr>",
                (
                    (
                        r.contribution_id,
                        money_format(r.amount, currency=pool.currency),
                        r.get_status_display(),
                        r.attempts,
                        "—" if r.status == PoolRefund.Status.DONE else r.next_attempt_at,
                        r.last_error or "—",
                        r.reason or "—",
                    )
                    for r in rows
                ),
            ),
        )

    @admin.display(description="target")
    def target_display(self, pool: Pool) -> str:
        return money_format(pool.target, currency=pool.currency)

    @admin.display(description="collected")
    def collected_display(self, pool: Pool) -> str:
        return money_format(pool.collected, currency=pool.currency)

    @admin.display(description="reserved")
    def reserved_display(self, pool: Pool) -> str:
        return money_format(pool.reserved, currency=pool.currency)

    @admin.action(description="Retry failed refunds now")
    def refunds_retry(self, request, queryset) -> None:
        _retry(self, request, PoolRefund.objects.filter(contribution__pool__in=queryset))


@admin.register(PoolRefund)
class PoolRefundAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = [
        "__str__",
        "pool_link",
        "amount_display",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status"]
    list_select_related = ["contribution"]
    search_fields = ["idempotency_key", "contribution__pool__token"]
    actions = ["refunds_retry"]

    @admin.display(description="pool")
    def pool_link(self, refund: PoolRefund) -> str:
        return f"Pool #{refund.contribution.pool_id}"

    @admin.display(description="amount")
    def amount_display(self, refund: PoolRefund) -> str:
        return money_format(refund.amount)

    @admin.action(description="Retry failed refunds now")
    def refunds_retry(self, request, queryset) -> None:
        _retry(self, request, queryset)
