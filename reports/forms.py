"""The filters every dashboard takes from its GET parameters: ``from`` and ``to`` (dates,
inclusive), ``ptj`` (a PTj code) and ``course`` (a course code), each limited to what the viewer
may see. A bad value is refused with a 400 that names the parameter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError
from reports.policies import Filters, Scope

EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)
FIELDS = ("from", "to", "ptj", "course")


class DateInput(forms.DateInput):
    input_type = "date"


class FilterForm(forms.Form):
    def __init__(
        self,
        data: QueryDict,
        *,
        ptjs: Sequence[tuple[int, str, str]],
        courses: Sequence[tuple[int, str, str]],
    ) -> None:
        super().__init__({k: data.get(k, "") for k in FIELDS})
        self.ptj_ids = {code: pk for pk, code, _ in ptjs}
        self.course_ids = {code: pk for pk, code, _ in courses}
        self.fields["from"] = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput)
        self.fields["to"] = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput)
        self.fields["ptj"] = forms.ChoiceField(
            label=gettext_lazy("PTj"),
            required=False,
            choices=[("", gettext_lazy("All PTjs you may see"))] + [(code, code) for _, code, _ in ptjs],
        )
        self.fields["course"] = forms.ChoiceField(
            label=gettext_lazy("Course"),
            required=False,
            choices=[("", gettext_lazy("All courses"))]
            + [(code, f"{code} {title}"[:90]) for _, code, title in courses],
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("from", "to"):
            value = data.get(name)
            if value is not None and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("Give a date between 2000 and 2999."))
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date is before the start date."))
        return data


def filters_from(data: QueryDict, scope: Scope, form: FilterForm, *, with_teaching: bool = False) -> Filters:
    """The validated filters, or ``ApplicationError(filter_invalid, field=<parameter>)`` (400).
    A PTj or course the viewer may not see is refused exactly like one that does not exist."""
    if not form.is_valid():
        name = next(iter(form.errors))
        raise ApplicationError(
            "filter_invalid",
            _("The filter %(field)s is not valid: %(problem)s") % {"field": name, "problem": form.errors[name][0]},
            field=name,
        )
    cleaned = form.cleaned_data
    return Filters(
        date_from=cleaned["from"],
        date_to=cleaned["to"],
        everything=scope.everything,
        ptj_ids=scope.ptj_ids,
        teacher_id=scope.teacher_id if with_teaching else None,
        chosen_ptj=form.ptj_ids.get(cleaned["ptj"]) if cleaned["ptj"] else None,
        course_id=form.course_ids.get(cleaned["course"]) if cleaned["course"] else None,
        course_code=cleaned["course"] or "",
        query=tuple((k, str(data.get(k))) for k in FIELDS if data.get(k)),
    )


class EspForm(forms.Form):
    """R-QA-3: the eSP export's choices (GET parameters ``course``, ``from``, ``to``, ``format``)."""

    course = forms.TypedChoiceField(label=gettext_lazy("Micro-credential"), coerce=int)
    date_from = forms.DateField(label=gettext_lazy("Offerings ending from"), widget=DateInput)
    date_to = forms.DateField(label=gettext_lazy("to"), widget=DateInput)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[("xlsx", "XLSX (Excel)"), ("csv", "CSV")])

    def __init__(self, *args: Any, courses: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = list(courses)  # type: ignore[attr-defined]

    def add_prefix(self, field_name: str) -> str:
        # The GET parameters are named as the dashboards' filters: ``from`` and ``to``.
        return {"date_from": "from", "date_to": "to"}.get(field_name, field_name)
