from django import forms

from reviews.questions.services import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Your question",
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ask the seller and the people who bought it.",
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label="Your answer", max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("1", "Helpful"), ("0", "Not helpful")], coerce=lambda value: value == "1"
    )
