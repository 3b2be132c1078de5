"""Forms of the credit-transfer pages: shapes only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from transfer.choices import EXTERNAL_KINDS


class PriorCredentialForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What it is"),
        choices=[(k.value, k.label) for k in EXTERNAL_KINDS],
        widget=forms.RadioSelect,
        help_text=_(
            "Category 2: a course of another institution's accredited programme. Stand-alone: a micro-credential "
            "from another provider (QVC-verified if a Quality Verification Centre verified it)."
        ),
    )
    code = forms.CharField(label=_("Course code"), max_length=30)
    title = forms.CharField(label=_("Title"), max_length=250)
    provider = forms.CharField(label=_("Institution or provider"), max_length=200)
    credits = forms.IntegerField(label=_("Credits"), min_value=1, max_value=60)
    completed_on = forms.DateField(
        label=_("Completed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    accreditation_reference = forms.CharField(
        label=_("Accreditation reference (Category 2)"),
        max_length=80,
        required=False,
        help_text=_("e.g. the MQA reference of the programme the course belongs to"),
    )
    qvc_reference = forms.CharField(label=_("QVC verification reference"), max_length=80, required=False)
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_(
            "A PDF (transcript, certificate), or the Open Badges 3.0 credential as a .json file: the portal "
            "verifies badges where it can."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.json,application/pdf,application/json"}),
    )


class ProgrammeChoiceForm(forms.Form):
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int, empty_value=None)

    def __init__(self, *args: Any, programmes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a programme")), *programmes]


class AgeExceptionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the exception"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
