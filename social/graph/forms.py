"""The privacy settings page's form. The rules (which visibility a setting takes) are the
service's; the choices here only offer those."""

from django import forms

from shop.core.visibility import Visibility
from social.graph.models import PROFILE_CHOICES, SHARING_CHOICES, PrivacySettings, Report

# The words a person reads beside each choice (the model's labels are terse).
_WHO = {
    Visibility.PRIVATE.value: "Only me",
    Visibility.FRIENDS.value: "My friends",
    Visibility.LINK.value: "My friends, and anyone I send the link to",
    Visibility.PUBLIC.value: "Everyone",
}


def _choices(choices) -> list[tuple[str, str]]:
    return [(value, _WHO[value]) for value, _ in choices]


class PrivacySettingsForm(forms.Form):
    profile = forms.ChoiceField(
        label="Who sees my whole profile",
        choices=_choices(PROFILE_CHOICES),
        widget=forms.RadioSelect,
        help_text="Your bio and your friends count. Everyone sees your name and avatar, so "
        "people can recognise you and ask to be friends. Only a public profile can be followed.",
    )
    friends_list = forms.ChoiceField(
        label="Who sees my friends",
        choices=_choices(SHARING_CHOICES),
        widget=forms.RadioSelect,
    )
    purchases = forms.ChoiceField(
        label="Who sees what I buy",
        choices=_choices(SHARING_CHOICES),
        widget=forms.RadioSelect,
        help_text="Off unless you turn it on: nobody sees your purchases until you choose who may.",
    )
    likes = forms.ChoiceField(
        label="Who sees what I like", choices=_choices(SHARING_CHOICES), widget=forms.RadioSelect
    )
    wishlists = forms.ChoiceField(
        label="Who sees a new wishlist",
        choices=_choices(Visibility.choices),
        widget=forms.RadioSelect,
        help_text="The starting point for each new wishlist; every wishlist can change its own.",
    )
    reviews_show_name = forms.BooleanField(
        label="Show my name on my reviews",
        required=False,
        help_text='Off: your reviews say "a verified buyer".',
    )
    discoverable = forms.BooleanField(
        label="Let people find me by my name",
        required=False,
        help_text="Off: people find you only by typing your exact username.",
    )
    personalised = forms.BooleanField(
        label="Personalise my home page and recommendations",
        required=False,
        help_text="On: your home page is built from what you and your friends like and buy, "
        "and what you look at here, and each pick says why. Off: you see the same home page "
        "as everyone.",
    )

    @classmethod
    def for_settings(cls, settings: PrivacySettings) -> "PrivacySettingsForm":
        return cls(initial={name: getattr(settings, name) for name in cls.base_fields})


class InviteEmailForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="We send them your invitation; you will be friends once they join.",
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you reporting them?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="What happened",
        required=False,
        max_length=Report.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few words help our team decide. They are not shown to the person.",
    )
    block = forms.BooleanField(
        label="Also block them",
        required=False,
        help_text="Neither of you will see the other any more, and they cannot ask to be friends.",
    )
