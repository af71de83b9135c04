"""The forms of the wishlists' pages: parse input only (the services check the rules)."""

from django import forms

from gifting.wishlists.models import WishlistItem
from shop.core.visibility import Visibility
from shop.orders.addresses import address_one_line

NO_ADDRESS = ""


class WishlistForm(forms.Form):
    """A list's name, date, audience, and where friends may send gifts: one of the owner's
    saved addresses (ADDRESSES), which nobody else ever sees."""

    title = forms.CharField(label="Name of the list", max_length=120)
    occasion_on = forms.DateField(
        label="Occasion",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="After this day you see who gave what.",
    )
    visibility = forms.ChoiceField(label="Who sees it", choices=Visibility.choices)
    shipping_address = forms.ChoiceField(
        label="Friends may send gifts to",
        required=False,
        help_text="They pick it at checkout as your registry address and never see it.",
    )

    def __init__(self, *args, addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = {str(address.pk): address for address in addresses}
        field = self.fields["shipping_address"]
        field.choices = [
            (NO_ADDRESS, "Nowhere: friends send gifts themselves"),
            *((key, address_one_line(address)) for key, address in self.addresses.items()),
        ]
        if not self.addresses:
            field.help_text = (
                "Addresses you save at checkout appear here; friends then pick yours as your "
                "registry address, without seeing it."
            )

    def clean_shipping_address(self):
        """The Address chosen, or None."""
        return self.addresses.get(self.cleaned_data.get("shipping_address") or NO_ADDRESS)


class WishlistItemForm(forms.Form):
    quantity = forms.IntegerField(label="Wanted", min_value=1, max_value=99)
    priority = forms.TypedChoiceField(
        label="Priority", choices=WishlistItem.Priority.choices, coerce=int
    )
    note = forms.CharField(label="Note", max_length=300, required=False)


class ClaimForm(forms.Form):
    quantity = forms.IntegerField(label="How many", min_value=1, max_value=99, initial=1)


class WishlistAddForm(forms.Form):
    """The product page's "Add to wishlist": a product and maybe its variant (else its first),
    and a list of the viewer's or a new one ("new", or nothing: their first list, made if
    they have none)."""

    product = forms.IntegerField(min_value=1)
    variant = forms.IntegerField(min_value=1, required=False)
    wishlist = forms.CharField(required=False, max_length=20)


class ItemVoteForm(forms.Form):
    vote = forms.ChoiceField(
        label="Your vote",
        choices=[("up", "👍"), ("down", "👎"), ("none", "No vote")],
        error_messages={"required": "Vote 👍 or 👎.", "invalid_choice": "Vote 👍 or 👎."},
    )


class ItemCommentForm(forms.Form):
    text = forms.CharField(
        label="Comment",
        max_length=500,
        error_messages={
            "required": "Please enter the comment.",
            "max_length": "The comment can be at most 500 characters long.",
        },
    )
