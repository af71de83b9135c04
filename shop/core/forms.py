from django import forms
from django.core.exceptions import ValidationError

from shop.core.errors import DomainError
from shop.core.images import ImageProfile, VerifiedImage, image_verify


class VerifiedImageField(forms.FileField):
    """A file field whose cleaned value is a VerifiedImage (checked and re-encoded).

    Unlike forms.ImageField it never decodes the pixels of a file whose header already
    says it is too big for its use (`profile`), and the messages name the limit the file broke.
    """

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def __init__(self, *, profile: ImageProfile, **kwargs):
        self.profile = profile
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            return image_verify(upload, profile=self.profile, field=self.label or "image")
        except DomainError as exc:
            raise ValidationError(exc.message, code=exc.code) from None

    def bound_data(self, data, initial):
        return initial if isinstance(data, VerifiedImage) else super().bound_data(data, initial)

    def has_changed(self, initial, data):
        return not self.disabled and data is not None


def form_add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a DomainError on the form field it names (or as a non-field error)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, ValidationError(error.message, code=error.code))


def form_error_items(form: forms.Form) -> list[tuple[str, str]]:
    """Return (field id, "Label: message") for each error of a bound form that failed, for the
    error summary at its top (components/error_summary.html); an empty id is an error about
    the whole form. A radio group's target is its first option, which a link can focus."""
    if not form.is_bound or not form.errors:
        return []
    found = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        target = form[name].auto_id if field is not None else ""
        if field is not None and isinstance(field.widget, forms.RadioSelect):
            target = f"{target}_0"
        label = field.label if field is not None else ""
        for message in errors:
            found.append((target or "", f"{label}: {message}" if label else message))
    return found
