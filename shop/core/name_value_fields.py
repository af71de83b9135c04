"""Name/value rows for a JSON object of texts: {"size": "M", "colour": "moss green"}.

The admin edited Product.attributes and Variant.options as raw JSON; NameValueField shows them
as rows of two inputs instead and cleans back to the same shape, a dict of name to value in
the rows' order. Without JavaScript the widget renders a few empty rows to fill; with it
(static/js/admin-name-value.js) spare empty rows are dropped and "Add a row" adds one. Every
row's inputs share one name per column (`<name>-name`, `<name>-value`): the browser posts
them in document order, so added rows need no renumbering (nor do the admin's cloned inlines).
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.text import capfirst

NAME_MAX_LENGTH = 60
VALUE_MAX_LENGTH = 300


def _rows_of(value) -> list[tuple[str, str]]:
    """Return (name, value) rows for what a widget is given: the stored dict, the rows a
    failed submit posted, or JSON text. A value that is not text (a number, a list) is shown
    as its JSON, which NameValueFormMixin stores back unchanged if left as it was."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError:
            return []
    if isinstance(value, dict):
        return [(str(name), _text_of(item)) for name, item in value.items()]
    if isinstance(value, list | tuple):
        return [(str(name), str(item)) for name, item in value]
    return []


def _text_of(item) -> str:
    return item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)


class NameValueWidget(forms.Widget):
    """Rows of a name input and a value input, plus `extra` empty rows to fill in."""

    template_name = "admin/widgets/name_value.html"

    class Media:
        js = ["js/admin-name-value.js"]

    def __init__(self, attrs: dict | None = None, *, noun: str = "row", extra: int = 3):
        self.noun = noun
        self.extra = extra
        super().__init__(attrs)

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        if getlist is None:  # a plain dict (tests, API-like callers)
            names, values = data.get(f"{name}-name", []), data.get(f"{name}-value", [])
            names = [names] if isinstance(names, str) else list(names)
            values = [values] if isinstance(values, str) else list(values)
        else:
            names, values = getlist(f"{name}-name"), getlist(f"{name}-value")
        count = max(len(names), len(values))
        names += [""] * (count - len(names))
        values += [""] * (count - len(values))
        return list(zip(names, values, strict=True))

    def value_omitted_from_data(self, data, files, name) -> bool:
        return f"{name}-name" not in data and f"{name}-value" not in data

    def id_for_label(self, id_):
        # The field's <label> names the whole group; it points at the first name input.
        return f"{id_}_0_name" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = _rows_of(value)
        filled = [row for row in rows if any(part.strip() for part in row)]
        rows = filled + [("", "")] * max(self.extra, 1)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        noun = capfirst(self.noun)
        context["widget"].update(
            {
                "base_id": base_id,
                "noun": noun,
                "name_max_length": NAME_MAX_LENGTH,
                "rows": [
                    {
                        "name": row_name,
                        "value": row_value,
                        "name_id": f"{base_id}_{index}_name",
                        "value_id": f"{base_id}_{index}_value",
                        "name_label": f"{noun} {index + 1} name",
                        "value_label": f"{noun} {index + 1} value",
                    }
                    for index, (row_name, row_value) in enumerate(rows)
                ],
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (templates/admin/widgets/), not the form renderer's.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


class NameValueField(forms.Field):
    """A dict of name -> text edited as rows; names required, unique (case aside) and short.

    An empty row is dropped (emptying a row removes it); a row with a value and no name, or a
    name and no value, is an error naming the row.
    """

    widget = NameValueWidget
    default_error_messages = {
        "no_name": "Row %(row)s: give the value “%(value)s” a name.",
        "no_value": "Row %(row)s: give “%(name)s” a value, or empty the row to remove it.",
        "duplicate": "“%(name)s” is named twice: each name once, please.",
        "name_too_long": "Row %(row)s: a name has at most %(limit)s characters.",
        "value_too_long": "Row %(row)s: a value has at most %(limit)s characters.",
    }

    def __init__(self, *, noun: str = "row", extra: int = 3, **kwargs):
        kwargs.setdefault("widget", NameValueWidget(noun=noun, extra=extra))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.label:
            attrs["aria-label"] = str(self.label)
        return attrs

    def to_python(self, value) -> dict[str, str]:
        rows = _rows_of(value)
        errors, result, seen = [], {}, set()
        for number, (raw_name, raw_value) in enumerate(rows, start=1):
            name, text = raw_name.strip(), raw_value.strip()
            if not name and not text:
                continue
            if not name:
                errors.append(self._error("no_name", row=number, value=text))
            elif not text:
                errors.append(self._error("no_value", row=number, name=name))
            elif len(name) > NAME_MAX_LENGTH:
                errors.append(self._error("name_too_long", row=number, limit=NAME_MAX_LENGTH))
            elif len(text) > VALUE_MAX_LENGTH:
                errors.append(self._error("value_too_long", row=number, limit=VALUE_MAX_LENGTH))
            elif name.casefold() in seen:
                errors.append(self._error("duplicate", name=name))
            else:
                seen.add(name.casefold())
                result[name] = text
        if errors:
            raise ValidationError(errors)
        return result

    def _error(self, code: str, **params) -> ValidationError:
        return ValidationError(self.error_messages[code], code=code, params=params)

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return dict(_rows_of(initial or {})) != data


class NameValueFormMixin:
    """For a ModelForm with NameValueFields over JSON fields: an entry whose stored value is
    not text (a number, a list) and was left as shown keeps its stored value and type."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field, NameValueField) or not isinstance(cleaned.get(name), dict):
                continue
            stored = getattr(self.instance, name, None)
            if not isinstance(stored, dict):
                continue
            cleaned[name] = {
                key: stored[key]
                if key in stored
                and not isinstance(stored[key], str)
                and text == _text_of(stored[key])
                else text
                for key, text in cleaned[name].items()
            }
        return cleaned
