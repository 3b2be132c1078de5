"""The legal-name rule (``accounts.policies.legal_name_check``) as people read it: one message per
refusal, for services (``ApplicationError``) and for model and form fields (``ValidationError``).
Every place a legal name is entered or changed goes through here: registration, the learner
profile, the admin's user forms and ``createsuperuser`` (the model fields' validators)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.policies import LEGAL_NAME_MAX, NameCheck, legal_name_check
from core.errors import ApplicationError


def legal_name_message(check: NameCheck) -> str:
    if check.code == "legal_name_required":
        return _("Give your full name as on your identity document.")
    if check.code == "legal_name_too_long":
        return _("A name can have at most %(max)d characters.") % {"max": LEGAL_NAME_MAX}
    if check.code == "legal_name_leading":
        return _("A name cannot start with “%(character)s”.") % {"character": check.character}
    if check.code == "legal_name_character":
        return _(
            "A name can have letters of any script, spaces and the marks ' - . , @ / only, not “%(character)s”."
        ) % {"character": check.character}
    return _("A name must have at least one letter.")


def legal_name_clean(raw: str | None, *, field: str) -> str:
    """The name as it is stored, or an ``ApplicationError`` naming ``field`` and what is wrong."""
    check = legal_name_check(raw)
    if not check.ok:
        raise ApplicationError(check.code, legal_name_message(check), field=field)
    return check.value


def validate_legal_name(value: str) -> None:
    """Model and form field validator (the admin's forms, ``createsuperuser``)."""
    check = legal_name_check(value)
    if not check.ok:
        raise ValidationError(legal_name_message(check), code=check.code)
