from django import forms
from django.core.exceptions import ValidationError

from reviews.models import FEED_CHOICES, PHOTOS_MAX, ReviewReport
from reviews.services import REVIEW_PHOTO
from shop.core.errors import DomainError
from shop.core.images import image_verify

RATING_CHOICES = [(5, "5 stars"), (4, "4 stars"), (3, "3 stars"), (2, "2 stars"), (1, "1 star")]


class _PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReviewPhotosField(forms.FileField):
    """Up to PHOTOS_MAX images, each verified and re-encoded (a list of VerifiedImage)."""

    widget = _PhotosInput(
        attrs={"accept": "image/jpeg,image/png,image/webp,image/gif", "multiple": True}
    )

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload]
        if not isinstance(data, list | tuple) and data:
            uploads = [data]
        if len(uploads) > PHOTOS_MAX:
            raise ValidationError(f"Add at most {PHOTOS_MAX} photos.", code="too_many_photos")
        verified = []
        for upload in uploads:
            try:
                verified.append(image_verify(upload, profile=REVIEW_PHOTO, field="photos"))
            except DomainError as exc:
                raise ValidationError(exc.message, code=exc.code) from None
        return verified


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Your rating", choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    title = forms.CharField(label="Title", max_length=120)
    body = forms.CharField(
        label="Your review", max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    photos = ReviewPhotosField(
        label="Photos",
        required=False,
        help_text=f"Up to {PHOTOS_MAX} photos (JPEG, PNG, WebP or GIF). Location and camera "
        "data are removed.",
    )
    feed_visibility = forms.ChoiceField(
        label="Who sees this review in their feed",
        choices=FEED_CHOICES,
        initial="friends",
        help_text="The review itself is shown on the product page to everyone.",
    )

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_photos = list(photos)
        if self.existing_photos:
            self.fields["photos_remove"] = forms.TypedMultipleChoiceField(
                label="Remove photos",
                required=False,
                coerce=int,
                choices=[(photo.pk, f"Photo {i}") for i, photo in enumerate(photos, 1)],
                widget=forms.CheckboxSelectMultiple,
            )


class ReviewReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why do you report this review?",
        choices=ReviewReport.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Anything the moderators should know", max_length=500, required=False
    )
