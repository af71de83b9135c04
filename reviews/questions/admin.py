"""Questions in admin, where merchant staff answer them.

Merchant staff (the catalogue's "Merchant staff" group) see the questions about their own
merchants' products only (selectors.question_list_for_staff): another merchant's question is
simply not found. The list filters answered and unanswered questions; a question's page shows
its answers and takes one more, written by the signed-in staff member and saved through
services.answer_create (as "Merchant", the asker notified). Questions are neither added nor
edited here; operators may delete one (moderation).
"""

from django import forms
from django.contrib import admin, messages
from django.utils.text import Truncator

from reviews.questions import selectors, services
from reviews.questions.models import Answer, Question
from reviews.questions.services import ANSWER_MAX_LENGTH
from shop.catalog.selectors import merchants_of_user
from shop.core.errors import DomainError


class AnsweredFilter(admin.SimpleListFilter):
    title = "answered"
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("no", "Unanswered"), ("yes", "Answered")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(answer_count=0)
        if self.value() == "yes":
            return queryset.filter(answer_count__gt=0)
        return queryset


class QuestionMerchantFilter(admin.SimpleListFilter):
    title = "merchant"
    parameter_name = "merchant"

    def lookups(self, request, model_admin):
        return [(m.pk, m.name) for m in merchants_of_user(user=request.user).order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(product__merchant_id=int(value))
        return queryset


class QuestionAnswerForm(forms.ModelForm):
    """The question's page: nothing of the question changes; ANSWER is a new answer."""

    answer = forms.CharField(
        label="Your answer",
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on the product page, marked “Merchant”; the shopper who asked is told.",
    )
    # Set by QuestionAdmin.get_form: who is answering.
    author = None

    class Meta:
        model = Question
        fields = []

    def clean_answer(self) -> str:
        text = self.cleaned_data["answer"].strip()
        if text and selectors.answer_role(product=self.instance.product, user=self.author) is None:
            raise forms.ValidationError(
                "Only the product's merchant staff and its buyers can answer.",
                code="may_not_answer",
            )
        return text


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["author", "role", "text", "helpful_count", "created_at"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return True


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAnswerForm
    list_display = ["short_text", "product", "merchant", "author", "answer_count", "created_at"]
    list_filter = [AnsweredFilter, QuestionMerchantFilter, "created_at"]
    search_fields = ["text", "product__title", "author__username", "author__display_name"]
    list_select_related = ["product__merchant", "author"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = ["product", "author", "text", "created_at", "answer_count", "answer"]
    readonly_fields = ["product", "author", "text", "created_at", "answer_count"]
    inlines = [AnswerInline]

    @admin.display(description="question", ordering="text")
    def short_text(self, question: Question) -> str:
        return Truncator(question.text).chars(80)

    @admin.display(description="merchant", ordering="product__merchant__name")
    def merchant(self, question: Question) -> str:
        return question.product.merchant.name

    def get_queryset(self, request):
        return selectors.question_list_for_staff(user=request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.author = request.user  # a class made for this request by modelform_factory
        return form

    def save_model(self, request, obj, form, change) -> None:
        """Nothing of the question is saved: the answer, if any, goes through the service."""
        text = form.cleaned_data.get("answer")
        if not text:
            return
        try:
            services.answer_create(question=obj, author=request.user, text=text)
        except DomainError as error:
            self.message_user(request, error.messages[0], level=messages.ERROR)

    def _manages_merchant(self, request) -> bool:
        """Whether the signed-in staff member is merchant staff (the catalogue's permissions
        come with the "Merchant staff" group; cached by Django, no query). Which questions
        they see is get_queryset's."""
        user = request.user
        return user.is_active and user.is_staff and user.has_perm("catalog.view_product")

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) or self._manages_merchant(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or self._manages_merchant(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) or self._manages_merchant(request)

    def has_add_permission(self, request) -> bool:
        return False
