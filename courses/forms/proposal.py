"""The proposal's own fields, as Django forms. Bounds are not checked here: the service's
``input_problems`` does that, for the page and the API alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.choices import DeliveryMode, MQFLevel, ProposalKind
from courses.models import ProgrammeCourse
from courses.selectors import course_developers, origin_choices, staff_users
from policy.data import PolicyData


class OriginChoiceField(forms.ModelChoiceField[ProgrammeCourse]):
    """R-CAT-1 / R-CAT-5: the origin is picked from records, never typed; Foundation programmes
    are not offered."""

    def label_from_instance(self, obj: ProgrammeCourse) -> str:
        return f"{obj.course.code} {obj.course.name} ({obj.course.credits} cr.) - {obj.programme.code}"


class PersonChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


def _text(label: Any, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, strip=False, widget=forms.Textarea(attrs={"rows": rows})
    )


class BasicsForm(forms.Form):
    """Type, origin, code and title: the new-proposal page, and the top of the editor."""

    kind = forms.ChoiceField(label=_("Category and type"), choices=ProposalKind.choices, widget=forms.RadioSelect)
    origin = OriginChoiceField(
        label=_("Origin accredited course"),
        queryset=ProgrammeCourse.objects.none(),
        required=False,
        help_text=_("From the records of accredited programmes. Foundation programmes cannot be used."),
    )
    part_credits = forms.IntegerField(
        label=_("Credits of this part"),
        required=False,
        help_text=_("The last digit of the code is the credit value: TMN4033 in 1-credit parts gives TMN4031MCA."),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        strip=False,
        help_text=_('"Micro-Credential in <title>", never the name of an accredited qualification.'),
        widget=forms.TextInput(attrs={"placeholder": "Micro-Credential in …"}),
    )
    code = forms.CharField(
        label=_("Code"),
        required=False,
        help_text=_("Leave it empty for the suggested code: TMUI233MC, TMN4031MCA, MC001, MCV001."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)
        origin = self.fields["origin"]
        assert isinstance(origin, OriginChoiceField)
        origin.queryset = origin_choices()

    def origin_ids(self) -> tuple[int | None, int | None]:
        """(programme id, course id) of the chosen origin."""
        choice = self.cleaned_data.get("origin") if hasattr(self, "cleaned_data") else None
        return (choice.programme_id, choice.course_id) if choice else (None, None)


class ProposalForm(BasicsForm):
    """The application form of R-AF-1 / R-AF-2 (the nested design is ``courses.forms.design``)."""

    kind = forms.ChoiceField(label=_("Category and type"), choices=ProposalKind.choices)

    justification = _text(_("Justification"))
    objectives = _text(_("Objectives"), _("Stand-alone micro-credentials: objectives, besides the outcomes below."))
    entry_requirements = _text(_("Entry requirements"))
    synopsis = _text(_("Synopsis"), rows=4)
    lecturers = PersonChoiceField(
        label=_("Lecturers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("UNIMAS staff who deliver it."),
    )
    co_developers = PersonChoiceField(
        label=_("Co-developers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other course developers who may edit this proposal with you."),
    )
    study_session = forms.CharField(
        label=_("Study session"), required=False, widget=forms.TextInput(attrs={"placeholder": "2026/2027 Semester 1"})
    )
    offer_start = forms.DateField(
        label=_("Offered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    offer_end = forms.DateField(
        label=_("Offered until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    course_level = forms.TypedChoiceField(
        label=_("Course level"),
        choices=[("", "—"), *MQFLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    learner_commitment = _text(_("Learner commitment"), _("e.g. 6 hours a week for 18 weeks."), rows=2)
    promotion = _text(_("Promotion"), rows=2)
    continuous_improvement = _text(_("Continuous improvement"), rows=2)
    fee = forms.DecimalField(
        label=_("Fee (MYR)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        help_text=_("0 for a free course."),
    )
    delivery_mode = forms.ChoiceField(
        label=_("Delivery mode"), choices=[("", "—"), *DeliveryMode.choices], required=False
    )
    ptg_reference = forms.CharField(
        label=_("PTG application reference"),
        required=False,
    )
    survey_respondents = forms.IntegerField(
        label=_("Market survey respondents"),
        required=False,
        widget=forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, owner_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lecturers, co_developers = self.fields["lecturers"], self.fields["co_developers"]
        assert isinstance(lecturers, PersonChoiceField) and isinstance(co_developers, PersonChoiceField)
        lecturers.queryset = staff_users()
        others = course_developers()
        co_developers.queryset = others.exclude(pk=owner_id) if owner_id is not None else others

    def use_policy(self, policy: PolicyData) -> None:
        """Help texts quoting the guideline's numbers read them from the policy in force."""
        self.fields["ptg_reference"].help_text = _(
            "A conventional course %(min)s-%(max)s%% online is Substitute Blended Learning and needs one."
        ) % {"min": policy.sbl_online_min_pct, "max": policy.sbl_online_max_pct}
        self.fields["survey_respondents"].help_text = _("At least %(min)s.") % {
            "min": policy.market_survey_min_respondents
        }
