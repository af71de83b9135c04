"""The forms of the pools' pages: parse input only (the services check the rules)."""

import copy
import re
from datetime import datetime, time

from django import forms
from django.utils import timezone

from gifting.pools.models import Pool
from shop.core.money_fields import MoneyField
from shop.core.validators import TextCharactersValidator
from shop.core.visibility import Visibility

VISIBILITY_CHOICES = [
    (Visibility.FRIENDS.value, "My friends"),
    (Visibility.LINK.value, "Anyone with the link"),
    (Visibility.PUBLIC.value, "Everyone"),
]
RULE_CHOICES = [
    (Pool.Rule.ANY.value, "Any amount, from a minimum"),
    (Pool.Rule.SUGGESTED.value, "A suggested amount (people may give more or less)"),
    (Pool.Rule.EQUAL_SHARE.value, "An equal share among the people invited"),
]
SOMEONE_ELSE = ""


def deadline_at(day) -> datetime:
    """The end of DAY, in the shop's time zone: a pool runs until that evening."""
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


class DeadlineField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Deadline")
        kwargs.setdefault("error_messages", {"required": "Choose the last day to chip in."})
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("Choose a deadline in the future.", code="past")
        return day


class PoolOpenForm(forms.Form):
    """A new pool: how the gift ships, until when, who sees it, how people chip in. For a
    product (not a wish), also which option, who receives it and where it goes."""

    shipping_method = forms.ChoiceField(
        label="Shipping method",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the gift is shipped."},
    )
    deadline = DeadlineField(help_text="People can chip in until the end of this day.")
    message = forms.CharField(
        label="Message to the people you invite",
        max_length=1000,
        required=False,
        validators=[TextCharactersValidator()],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label="Who can see the pool",
        choices=VISIBILITY_CHOICES,
        initial=Visibility.LINK.value,
        widget=forms.RadioSelect,
        help_text="People you invite can always see it. The person receiving the gift never "
        "does: they get a gift page once it is ordered.",
    )
    rule = forms.ChoiceField(
        label="How people chip in",
        choices=RULE_CHOICES,
        initial=Pool.Rule.ANY.value,
        widget=forms.RadioSelect,
    )
    minimum = MoneyField(
        label="Smallest amount",
        min_value=100,
        initial=100,
        help_text="At least €1.00.",
    )
    suggested_amount = MoneyField(
        label="Suggested amount",
        required=False,
        min_value=100,
        help_text="For “a suggested amount”.",
    )
    invited_count = forms.IntegerField(
        label="Number of people sharing",
        required=False,
        min_value=1,
        max_value=200,
        help_text="For “an equal share”: the gift’s price is split between this many people.",
    )
    show_amounts = forms.BooleanField(
        label="Contributors see the total and each other’s amounts",
        required=False,
        initial=True,
    )
    auto_order = forms.BooleanField(
        label="Order the gift as soon as the pool is full", required=False
    )

    def __init__(self, *args, shipping_methods=(), variants=(), friends=None, **kwargs):
        """SHIPPING_METHODS: the methods offered (with their prices); VARIANTS: the product's
        options (a product pool, else empty); FRIENDS: whom a product pool may be for (None
        for a wish's pool, whose recipient is the list's owner)."""
        super().__init__(*args, **kwargs)
        from shop.core.money import money_format

        self.shipping_methods = {str(method.pk): method for method in shipping_methods}
        self.fields["shipping_method"].choices = [
            (key, f"{method.name}: {money_format(method.price)}")
            for key, method in self.shipping_methods.items()
        ]
        if len(self.shipping_methods) == 1:
            self.fields["shipping_method"].initial = next(iter(self.shipping_methods))
        self.variants = {str(variant.pk): variant for variant in variants}
        self.friends = None
        if self.variants:
            self.fields["variant"] = forms.ChoiceField(
                label="Option",
                choices=[
                    (key, f"{variant.name or variant.product.title}: {money_format(variant.price)}")
                    for key, variant in self.variants.items()
                ],
            )
            self.order_fields(["variant"])
        if friends is not None:
            self.friends = {str(friend.pk): friend for friend in friends}
            self.fields["recipient"] = forms.ChoiceField(
                label="Who receives the gift",
                required=False,
                choices=[
                    *((key, friend.public_name) for key, friend in self.friends.items()),
                    (SOMEONE_ELSE, "Someone else (give their name)"),
                ],
            )
            self.fields["recipient_name"] = forms.CharField(
                label="Their name",
                required=False,
                max_length=120,
                validators=[TextCharactersValidator()],
                help_text="If they are not among your friends here.",
            )
            from shop.orders.addresses import ADDRESS_FIELDS
            from shop.orders.forms import CheckoutForm

            for name in ADDRESS_FIELDS:
                self.fields[name] = copy.deepcopy(CheckoutForm.base_fields[name])
            self.fields["full_name"].label = "Recipient’s full name"
            self.fields["phone"].help_text = "Only for the courier."

    def clean_shipping_method(self):
        return self.shipping_methods.get(self.cleaned_data["shipping_method"])

    def clean_variant(self):
        return self.variants.get(self.cleaned_data["variant"])

    def clean_recipient(self):
        return self.friends.get(self.cleaned_data.get("recipient") or SOMEONE_ELSE)

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        if rule == Pool.Rule.SUGGESTED and not data.get("suggested_amount"):
            self.add_error("suggested_amount", "Suggest an amount.")
        if rule == Pool.Rule.EQUAL_SHARE and not data.get("invited_count"):
            self.add_error("invited_count", "Say how many people share the gift.")
        named = (data.get("recipient_name") or "").strip() or "recipient_name" in self.errors
        if self.friends is not None and not data.get("recipient") and not named:
            self.add_error("recipient_name", "Give the name of who receives the gift.")
        return data

    def rules_options(self) -> dict:
        """The keyword arguments every pool opens with, whatever it is for: until when, who
        sees it, its message, how people chip in (PoolAmountForm's too)."""
        data = self.cleaned_data
        return {
            "deadline": deadline_at(data["deadline"]),
            "visibility": data["visibility"],
            "message": data.get("message") or "",
            "rule": data["rule"],
            "minimum": data["minimum"],
            "suggested_amount": data.get("suggested_amount")
            if data["rule"] == Pool.Rule.SUGGESTED
            else None,
            "invited_count": data.get("invited_count") or 0,
            "show_amounts": data.get("show_amounts", False),
        }

    def options(self) -> dict:
        """The opening service's keyword arguments common to a wish's and a product's pool."""
        data = self.cleaned_data
        return {
            "shipping_method": data["shipping_method"],
            **self.rules_options(),
            "auto_order": data.get("auto_order", False),
        }


class ChipInForm(forms.Form):
    """An amount to chip in, whether others see one's name, a message for the card; a guest
    also gives a name and an email. KEY makes a form sent twice one contribution."""

    amount = MoneyField(
        label="Amount",
        min_value=1,
        error_messages={"required": "Enter how much you chip in."},
    )
    hide_name = forms.BooleanField(
        label="Hide my name from the other contributors",
        required=False,
        help_text="The organiser always sees who chipped in.",
    )
    message = forms.CharField(
        label="Message for the card",
        max_length=500,
        required=False,
        validators=[TextCharactersValidator()],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person receiving the gift reads it on their gift page.",
    )
    guest_name = forms.CharField(
        label="Your name",
        max_length=120,
        validators=[TextCharactersValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    guest_email = forms.EmailField(
        label="Your email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="For your receipt, and a refund if the pool does not reach its goal.",
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, guest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["guest_name"]
            del self.fields["guest_email"]


_EMAIL_SPLIT = re.compile(r"[\s,;]+")


class InviteForm(forms.Form):
    friends = forms.MultipleChoiceField(
        label="Friends", required=False, widget=forms.CheckboxSelectMultiple
    )
    emails = forms.CharField(
        label="Email addresses",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Separated by commas or new lines. They get the pool’s link.",
    )

    def __init__(self, *args, friends=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.friend_map = {str(friend.pk): friend for friend in friends}
        self.fields["friends"].choices = [
            (key, friend.public_name) for key, friend in self.friend_map.items()
        ]

    def clean_friends(self):
        return [self.friend_map[key] for key in self.cleaned_data["friends"]]

    def clean_emails(self):
        return [email for email in _EMAIL_SPLIT.split(self.cleaned_data["emails"]) if email]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("friends") and not data.get("emails"):
            raise forms.ValidationError("Pick friends or type email addresses to invite.")
        return data


class ExtendForm(forms.Form):
    deadline = DeadlineField(label="New deadline")


# The most a pool for an amount collects: a group gift, not a money transfer.
AMOUNT_TARGET_MAX = 500_000


class PoolAmountForm(PoolOpenForm):
    """A new pool for an amount (the gift is chosen later): the amount, who receives the gift,
    until when, who sees it, how people chip in. No shipping yet: it comes with the gift."""

    def __init__(self, *args, friends=(), **kwargs):
        super().__init__(*args, friends=friends, **kwargs)
        from shop.core.money import money_format
        from shop.orders.addresses import ADDRESS_FIELDS

        for name in ("shipping_method", "auto_order", *ADDRESS_FIELDS):
            del self.fields[name]
        self.fields["target"] = MoneyField(
            label="Amount to collect",
            min_value=100,
            max_value=AMOUNT_TARGET_MAX,
            help_text=f"From {money_format(100)} to {money_format(AMOUNT_TARGET_MAX)}. You "
            "choose the gift with it later: its price and shipping become the pool’s goal.",
            error_messages={"required": "Enter the amount to collect."},
        )
        self.fields["recipient"].label = "One of your friends"
        self.fields["recipient_name"].label = "Or their name"
        self.order_fields(["target", "recipient", "recipient_name"])

    def options(self) -> dict:
        """services.pool_open's keyword arguments but the organiser."""
        data = self.cleaned_data
        recipient = data.get("recipient")
        return {
            "target": data["target"],
            "recipient": recipient,
            "recipient_name": "" if recipient else (data.get("recipient_name") or ""),
            **self.rules_options(),
        }


class GiftChooseForm(forms.Form):
    """The gift chosen from the shop for a pool: how it is shipped (each method saying the
    pool's new target and what would go back to contributors), and, when the pool does not
    know yet, where it goes."""

    variant = forms.IntegerField(widget=forms.HiddenInput)
    shipping_method = forms.ChoiceField(
        label="How the gift is shipped",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the gift is shipped."},
    )

    def __init__(self, *args, pool=None, outcomes=(), with_address: bool = False, **kwargs):
        """POOL: the pool whose gift it is; OUTCOMES: choosing.GiftOutcome per shipping method
        offered (one too dear for a funded pool is refused); WITH_ADDRESS: ask where the gift
        goes."""
        super().__init__(*args, **kwargs)
        self.pool = pool
        from shop.core.money import money_format

        self.outcomes = {str(o.shipping_method.pk): o for o in outcomes}
        choices = []
        for key, outcome in self.outcomes.items():
            method = outcome.shipping_method
            label = f"{method.name} ({money_format(method.price)}): the pool’s goal becomes "
            label += money_format(outcome.target)
            if outcome.too_dear:
                label += ", more than the pool collected"
            elif outcome.refund:
                label += f", and {money_format(outcome.refund)} goes back to contributors"
            elif outcome.funded:
                label += ", which the money collected covers"
            choices.append((key, label))
        self.fields["shipping_method"].choices = choices
        if len(choices) == 1:
            self.fields["shipping_method"].initial = choices[0][0]
        self.with_address = with_address
        if with_address:
            from shop.orders.addresses import ADDRESS_FIELDS
            from shop.orders.forms import CheckoutForm

            for name in ADDRESS_FIELDS:
                self.fields[name] = copy.deepcopy(CheckoutForm.base_fields[name])
            self.fields["full_name"].label = "Recipient’s full name"
            self.fields["phone"].help_text = "Only for the courier."

    def clean_shipping_method(self):
        outcome = self.outcomes[self.cleaned_data["shipping_method"]]
        if outcome.too_dear:
            from gifting.pools.choosing import pool_gift_too_dear_message

            message = pool_gift_too_dear_message(self.pool, target=outcome.target)
            raise forms.ValidationError(message, code="gift_too_dear")
        return outcome.shipping_method

    def address(self):
        """The address typed (an AddressInput), or None when the form does not ask it."""
        if not self.with_address:
            return None
        from shop.orders.addresses import AddressInput

        return AddressInput.from_mapping(self.cleaned_data)
