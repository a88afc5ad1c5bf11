"""Model fields for identifiers (normalised on every save) and for short lists of codes."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class IdentifierField(models.CharField):
    """A CharField whose value is normalised before it is validated or stored, so that
    'https://doi.org/10.1/X' and '10.1/X' can never be two different records."""

    def __init__(self, *args, normalizer=None, **kwargs):
        self.normalizer = normalizer or (lambda value: value)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # The normaliser is code, not schema: migrations need not know it.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalizer(value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = self.normalizer(value)
            setattr(model_instance, self.attname, value)
        return value


class CommaSeparatedListFormField(forms.CharField):
    """Edits a list of codes as 'L04AX02, L04AX04' in one text box."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return [item.strip().upper() for item in value.replace(";", ",").split(",") if item.strip()]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data or "")


class CodeListField(models.JSONField):
    """A JSON list of short codes (ATC codes), shown in forms as comma-separated text."""

    def formfield(self, **kwargs):
        return models.Field.formfield(self, form_class=CommaSeparatedListFormField, **kwargs)
