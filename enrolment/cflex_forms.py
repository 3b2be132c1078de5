"""CFLEX's forms: open an offering of a ready course, record a fee."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enrolment.choices import FeeStatus, Platform

DATE = forms.DateInput(attrs={"type": "date"})


class OfferingForm(forms.Form):
    proposal = forms.TypedChoiceField(label=_("Course (ready to offer)"), coerce=int)
    session = forms.CharField(label=_("Session"), max_length=60, help_text=_("e.g. 2026/2027 Semester 1"))
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE)
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    capacity = forms.IntegerField(label=_("Capacity (learners)"), min_value=1, max_value=100000)
    fee = forms.DecimalField(label=_("Fee (MYR)"), min_value=0, max_digits=9, decimal_places=2)
    enrolment_opens = forms.DateField(label=_("Enrolment opens"), widget=DATE)
    enrolment_closes = forms.DateField(label=_("Enrolment closes"), widget=DATE)
    instructors = forms.TypedMultipleChoiceField(
        label=_("Instructors"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    minimum_requirements = forms.CharField(
        label=_("Minimum requirements (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("R-EN-3: e.g. work experience, age, digital literacy. Learners confirm each one."),
    )

    def __init__(
        self, *args: Any, courses: list[tuple[int, str]], instructors: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = courses  # type: ignore[attr-defined]
        self.fields["instructors"].choices = instructors  # type: ignore[attr-defined]


class FeeForm(forms.Form):
    fee_status = forms.ChoiceField(label=_("Fee"), choices=FeeStatus.choices)
    reference = forms.CharField(label=_("Payment reference"), max_length=80, required=False)
    # The status the page showed: a change made meanwhile is refused, not lost (issue 12).
    expected_fee_status = forms.ChoiceField(choices=FeeStatus.choices, widget=forms.HiddenInput)


class AssessmentEndForm(forms.Form):
    assessment_ends_on = forms.DateField(
        label=_("Last assessment"),
        required=False,
        widget=DATE,
        help_text=_(
            "Leave empty to use the offering's end date. Results can be submitted only after this day "
            "(the number of days is set in the policy)."
        ),
    )
    # The date the page showed: a change made meanwhile is refused, not lost (issue 12).
    expected_assessment_ends_on = forms.DateField(required=False, widget=forms.HiddenInput)
