"""R-CR-7: the learner's name change request and CFLEX's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NameChangeForm(forms.Form):
    new_name = forms.CharField(label=_("New full name, exactly as on your identity document"), max_length=200)
    reason = forms.CharField(
        label=_("Why is the name changing? (optional)"), required=False, max_length=1000, widget=forms.Textarea
    )
    evidence = forms.FileField(
        label=_("Identity document showing the new name (PDF, PNG or JPEG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class NameDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and re-issue the credentials")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (required to refuse)"), required=False, max_length=1000, widget=forms.Textarea
    )
