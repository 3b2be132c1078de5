from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_legal_name
from courses.choices import DeliveryMode, MQFLevel
from enrolment.choices import IdentityKind


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    ptj = forms.ChoiceField(label=_("PTj"), required=False)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any level")), *MQFLevel.choices],
    )
    mode = forms.ChoiceField(
        label=_("Delivery mode"), required=False, choices=[("", _("Any mode")), *DeliveryMode.choices]
    )
    max_fee = forms.DecimalField(
        label=_("Fee up to (MYR)"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    starts_after = forms.DateField(
        label=_("Starts on or after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    open_only = forms.BooleanField(label=_("Open for enrolment now"), required=False)

    def __init__(self, *args: object, ptj_choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["ptj"].choices = [("", _("Any PTj")), *ptj_choices]  # type: ignore[attr-defined]


class ProfileForm(forms.Form):
    legal_name = forms.CharField(
        label=_("Full name as on your identity document"), max_length=200, validators=[validate_legal_name]
    )
    identity_kind = forms.ChoiceField(
        label=_("Identity document"), choices=IdentityKind.choices, widget=forms.RadioSelect
    )
    identity_number = forms.CharField(
        label=_("NRIC or passport number"), max_length=20, help_text=_("NRIC as YYMMDD-PB-###G, e.g. 900101-13-5677.")
    )
    nationality = forms.CharField(label=_("Nationality (passport holders)"), max_length=60, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth (passport holders; taken from the NRIC otherwise)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30)
    student_id = forms.CharField(
        label=_("UNIMAS student ID (if you are a UNIMAS student)"), max_length=20, required=False
    )
    pdpa_consent = forms.BooleanField(
        label=_(
            "I consent to UNIMAS processing my personal data to enrol me, keep my records and issue my credentials "
            "(Personal Data Protection Act 2010)."
        ),
        required=False,
    )


class SurveyForm(forms.Form):
    LIKERT = [(str(n), str(n)) for n in range(1, 6)]
    content_rating = forms.TypedChoiceField(
        label=_("The content was useful"), choices=LIKERT, coerce=int, widget=forms.RadioSelect
    )
    instructor_rating = forms.TypedChoiceField(
        label=_("The instructor's feedback helped me"), choices=LIKERT, coerce=int, widget=forms.RadioSelect
    )
    platform_rating = forms.TypedChoiceField(
        label=_("The platform was easy to use"), choices=LIKERT, coerce=int, widget=forms.RadioSelect
    )
    overall_rating = forms.TypedChoiceField(
        label=_("Overall, I would recommend this course"), choices=LIKERT, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("What should we improve?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
