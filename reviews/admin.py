"""Reviews in Django admin: the operators' moderation queue and decisions, the merchants'
replies.

Operators (superusers) see every review, with its edits, reports and decisions, and hide,
restore or keep reviews through actions that ask for the reason (the author is told it).
Merchant staff (catalog's "Merchant staff" group) see the reviews of their own merchants'
products only, and reply to them through the "Reply" action (one reply per review, edited by
replying again). Nothing is saved by hand: every action calls reviews.moderation.
"""

from functools import partial

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join

from reviews import moderation
from reviews.models import Review, ReviewModeration, ReviewReport, ReviewRevision
from shop.catalog.selectors import merchants_of_user
from shop.core.admin import ActionPage, ActionPageMixin, ReadOnlyAdminMixin, ReadOnlyTabularInline

# Given to the "Merchant staff" group by shop.catalog (MERCHANT_STAFF_PERMISSIONS).
MERCHANT_STAFF_PERMISSION = "catalog.view_product"


def _can_see_reviews(request) -> bool:
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.has_perm(MERCHANT_STAFF_PERMISSION)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=500, help_text="The author is told this.", widget=forms.TextInput
    )


class ReplyForm(forms.Form):
    body = forms.CharField(label="Reply", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class _ReviewRowsInline(ReadOnlyTabularInline):
    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


class ReviewRevisionInline(_ReviewRowsInline):
    model = ReviewRevision
    fields = ["replaced_at", "rating", "title", "body", "written_at"]
    verbose_name_plural = "Earlier versions (each edit)"


class ReviewReportInline(_ReviewRowsInline):
    model = ReviewReport
    fields = ["created_at", "reporter", "reason", "note"]
    verbose_name_plural = "Reports"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reporter")


class ReviewModerationInline(_ReviewRowsInline):
    model = ReviewModeration
    fields = ["created_at", "action", "reason", "by"]
    verbose_name_plural = "Decisions"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, ActionPageMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "product",
        "author",
        "rating",
        "verified_purchase",
        "is_hidden",
        "needs_moderation",
        "report_count",
        "has_reply",
        "created_at",
    ]
    list_filter = ["needs_moderation", "is_hidden", "rating", "verified_purchase"]
    search_fields = ["title", "body", "product__title", "author__username"]
    list_select_related = ["product", "author", "reply"]
    list_per_page = 50
    fields = [
        "product",
        "author",
        "rating",
        "title",
        "body",
        "photos_shown",
        "verified_purchase",
        "feed_visibility",
        "helpful_count",
        "unhelpful_count",
        "report_count",
        "needs_moderation",
        "flag_reason",
        "is_hidden",
        "hidden_reason",
        "reply_shown",
        "created_at",
        "updated_at",
        "edit_count",
    ]
    inlines = [ReviewRevisionInline, ReviewReportInline, ReviewModerationInline]
    actions = ["hide", "restore", "keep", "reply"]

    def has_module_permission(self, request) -> bool:
        return _can_see_reviews(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _can_see_reviews(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("product", "author", "reply")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(product__merchant__in=merchants_of_user(user=request.user))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            for name in ("hide", "restore", "keep"):
                actions.pop(name, None)
        return actions

    def get_list_display(self, request):
        if request.user.is_superuser:
            return self.list_display
        return [n for n in self.list_display if n not in ("needs_moderation", "report_count")]

    @admin.display(description="Reply", boolean=True)
    def has_reply(self, review: Review) -> bool:
        return hasattr(review, "reply")

    @admin.display(description="Merchant's reply")
    def reply_shown(self, review: Review) -> str:
        reply = getattr(review, "reply", None)
        return reply.body if reply else "—"

    @admin.display(description="Photos")
    def photos_shown(self, review: Review) -> str:
        photos = list(review.photos.all())
        if not photos:
            return "—"
        return format_html_join(
            " ",
            '<a href="{}"><img src="{}" alt="Photo {}" class="agora-preview"></a>',
            (
                (p.image.url, (p.thumbnail or p.image).url, index)
                for index, p in enumerate(photos, 1)
            ),
        )

    def _decide(self, request, queryset, *, action: str, page: ActionPage, step):
        rows = self.action_rows(
            request,
            queryset.order_by("pk"),
            form_class=ReasonForm,
            describe=lambda review: {
                "label": f"{review.title} ({review.rating}★)",
                "sublabel": f"{review.product.title}, by {review.author.username}",
                "hint": review.flag_reason or f"{review.report_count} report(s)",
            },
        )
        if (response := self.action_page_or_none(request, page=page, rows=rows)) is not None:
            return response
        for row in rows:
            self.action_step(
                request,
                label=f"Review #{row.obj.pk}",
                step=partial(step, row.obj.pk, row.form.cleaned_data["reason"], request.user),
            )
        return None

    @admin.action(description="Hide (asks for the reason)")
    def hide(self, request, queryset):
        def step(review_id, reason, by):
            moderation.review_hide(review_id=review_id, by=by, reason=reason)
            return f"Review #{review_id} hidden; its author is told why."

        page = ActionPage(
            action="hide",
            title="Hide reviews",
            intro="Hidden reviews leave the product page, feeds and the rating. Say why: "
            "the author is told.",
            hint_label="Flagged for",
            submit="Hide",
        )
        return self._decide(request, queryset, action="hide", page=page, step=step)

    @admin.action(description="Restore (asks for the reason)")
    def restore(self, request, queryset):
        def step(review_id, reason, by):
            moderation.review_restore(review_id=review_id, by=by, reason=reason)
            return f"Review #{review_id} shown again; its author is told."

        page = ActionPage(
            action="restore",
            title="Restore reviews",
            intro="The reviews come back on the product page, in feeds and in the rating.",
            hint_label="Flagged for",
            submit="Restore",
        )
        return self._decide(request, queryset, action="restore", page=page, step=step)

    @admin.action(description="Keep: leave the queue (asks for the reason)")
    def keep(self, request, queryset):
        def step(review_id, reason, by):
            moderation.review_keep(review_id=review_id, by=by, reason=reason)
            return f"Review #{review_id} kept."

        page = ActionPage(
            action="keep",
            title="Keep reviews",
            intro="The reviews stay as they are and leave the moderation queue.",
            hint_label="Flagged for",
            submit="Keep",
        )
        return self._decide(request, queryset, action="keep", page=page, step=step)

    @admin.action(description="Reply as the merchant")
    def reply(self, request, queryset):
        def describe(review: Review) -> dict:
            reply = getattr(review, "reply", None)
            return {
                "label": f"{review.title} ({review.rating}★)",
                "sublabel": review.product.title,
                "hint": review.body[:200] + (f" — current reply: {reply.body}" if reply else ""),
            }

        rows = self.action_rows(
            request, queryset.order_by("pk"), form_class=ReplyForm, describe=describe
        )
        page = ActionPage(
            action="reply",
            title="Reply to reviews",
            intro="Your reply is shown under the review on the product page (one per review: "
            "replying again replaces it). The reviewer is told.",
            hint_label="Review",
            submit="Post reply",
        )
        if (response := self.action_page_or_none(request, page=page, rows=rows)) is not None:
            return response
        for row in rows:

            def step(review_id=row.obj.pk, body=row.form.cleaned_data["body"]):
                moderation.review_reply_save(review_id=review_id, by=request.user, body=body)
                return f"Reply posted to review #{review_id}."

            self.action_step(request, label=f"Review #{row.obj.pk}", step=step)
        return None
