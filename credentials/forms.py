"""Forms of the credential pages; the services check every rule again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core import safejson
from credentials.models import Credential
from credentials.policies import STATUS_MACHINE
from credentials.services.pdf_check import PDF_MAX_BYTES, is_pdf

UPLOAD_MAX_BYTES = 512 * 1024


class UploadForm(forms.Form):
    """A credential's JSON (a file or pasted), or a certificate / MMS PDF with its credential
    inside: ``cleaned_data`` then holds ``pdf`` (the bytes) instead of ``document``."""

    file = forms.FileField(label=_("Credential file (.json) or certificate PDF"), required=False)
    text = forms.CharField(
        label=_("…or paste the credential JSON"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        raw: bytes | str
        if upload is not None:
            head = upload.read(1024)
            upload.seek(0)
            if is_pdf(head):
                if upload.size > PDF_MAX_BYTES:
                    raise forms.ValidationError(
                        {"file": _("The PDF is larger than 4 MB; a certificate is under 100 KB.")}
                    )
                cleaned["pdf"] = upload.read()
                return cleaned
            if upload.size > UPLOAD_MAX_BYTES:
                raise forms.ValidationError(
                    {"file": _("The file is larger than 512 KB; a credential is a few kilobytes.")}
                )
            raw = upload.read()
        elif cleaned.get("text"):
            raw = cleaned["text"]
        else:
            raise forms.ValidationError({"file": _("Choose a credential file or paste its JSON.")})
        field = "file" if upload is not None else "text"
        try:
            document = safejson.loads(raw, max_bytes=UPLOAD_MAX_BYTES)
        except safejson.JsonInputError as error:
            message = _("This is not JSON: a credential is a JSON document.")
            raise forms.ValidationError({field: message if error.code == "json_invalid" else error.message}) from None
        if not isinstance(document, dict):
            raise forms.ValidationError({field: _("A credential is a JSON object, not a list or a value.")})
        cleaned["document"] = document
        return cleaned


_STATUS_ACTION_LABELS = {"suspend": _("Suspend"), "revoke": _("Revoke"), "reinstate": _("Reinstate")}


class StatusChangeForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=())
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, credential: Credential, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The buttons are the rows of the status table (credentials.policies.STATUS_MACHINE).
        allowed = [
            (row.action, _STATUS_ACTION_LABELS[row.action]) for row in STATUS_MACHINE.rows_from(credential.status)
        ]
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = allowed


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("Why re-issue (e.g. name corrected on the learner profile)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TranscriptForm(forms.Form):
    """Which of the learner's valid credentials go into a signed transcript."""

    title = forms.CharField(label=_("Title (e.g. the programme or job it is for)"), max_length=200, required=False)
    credentials = forms.MultipleChoiceField(
        label=_("Credentials to include"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, credentials: list[Credential], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["credentials"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (str(c.pk), f"{c.course_code} {c.course_title} ({c.serial}, {c.credits} cr)") for c in credentials
        ]
        field.initial = [str(c.pk) for c in credentials]
