"""The forms of the wishlists' pages: parse input only (the services check the rules)."""

from django import forms

from gifting.wishlists.models import WishlistItem
from shop.core.visibility import Visibility


class WishlistForm(forms.Form):
    title = forms.CharField(label="Name of the list", max_length=120)
    occasion_on = forms.DateField(
        label="Occasion",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="After this day you see who gave what.",
    )
    visibility = forms.ChoiceField(label="Who sees it", choices=Visibility.choices)


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
