"""Parse what the cart's forms post. Ranges and stock are checked by the services, so a page
and the API give the same message and code for the same mistake."""

from django import forms

from shop.cart.services import MAX_QUANTITY

QUANTITY_MESSAGE = f"Enter a quantity from 1 to {MAX_QUANTITY}."


def _whole_number(*, required: bool = True, message: str) -> forms.IntegerField:
    return forms.IntegerField(
        required=required,
        error_messages={"required": message, "invalid": message},
    )


class CartAddForm(forms.Form):
    variant = _whole_number(message="Choose an option to add to your cart.")
    quantity = _whole_number(required=False, message=QUANTITY_MESSAGE)

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data.get("quantity")
        return 1 if quantity is None else quantity


class CartLineQuantityForm(forms.Form):
    quantity = _whole_number(message=QUANTITY_MESSAGE.replace("from 1", "from 0"))


class DiscountCodeForm(forms.Form):
    code = forms.CharField(
        max_length=100,
        strip=True,
        error_messages={
            "required": "Enter a discount code.",
            "max_length": "That is not a discount code.",
        },
    )


def form_first_error(form: forms.Form) -> str:
    """The first message of an invalid form, for a flash message."""
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return "Something in the form was not right."
