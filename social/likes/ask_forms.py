"""The forms of "ask my friends": the ask (friends to ask, or all; a note) and the answer."""

from django import forms

from social.likes.ask_services import COMMENT_MAX_LENGTH, NOTE_MAX_LENGTH


class AskForm(forms.Form):
    """CHOICES are the viewer's friends (ask_selectors.ask_friend_choices); those already asked
    about the product are shown, not offered again."""

    friends = forms.MultipleChoiceField(
        label="Friends to ask", required=False, widget=forms.CheckboxSelectMultiple
    )
    all_friends = forms.BooleanField(label="All my friends", required=False)
    note = forms.CharField(
        label="A note for them",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: “For hiking in the rain, is it worth it?”",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {c.person.username: c.person for c in choices if not c.asked}
        self.fields["friends"].choices = [
            (c.person.username, c.person.public_name) for c in choices if not c.asked
        ]

    def clean_friends(self) -> list:
        return [self.people[username] for username in self.cleaned_data["friends"]]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("friends") and not cleaned.get("all_friends"):
            self.add_error("friends", "Choose at least one friend to ask, or all your friends.")
        return cleaned


class AskAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Should they buy it?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Answer yes or no.", "invalid_choice": "Answer yes or no."},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
