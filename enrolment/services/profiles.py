"""The learner profile: identity as on the document, NRIC or passport, PDPA consent."""

from __future__ import annotations

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.validators import legal_name_clean
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from enrolment.choices import IdentityKind
from enrolment.identity import identity_decrypt, identity_encrypt, identity_hash
from enrolment.models import LearnerProfile
from enrolment.policies import nric_check
from enrolment.services.names import legal_name_locked, legal_name_locked_error

_PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,12}$")
_PHONE_RE = re.compile(r"^\+?[0-9 -]{7,20}$")


def _nric_error(code: str) -> ApplicationError:
    messages = {
        "nric_format": _("An NRIC has 12 digits in the form YYMMDD-PB-###G."),
        "nric_date": _("The first six digits of an NRIC must be a real date (YYMMDD) in the past."),
        "nric_place_of_birth": _("Digits 7-8 of an NRIC must be a valid place-of-birth code."),
    }
    return ApplicationError(code, messages[code], field="identity_number")


@transaction.atomic
def learner_profile_save(
    *,
    actor: User,
    legal_name: str,
    identity_kind: str,
    identity_number: str,
    nationality: str,
    birth_date: date | None,
    phone: str,
    student_id: str = "",
    pdpa_consent: bool,
    today: date | None = None,
) -> LearnerProfile:
    """Create or update the actor's own profile. The number is kept encrypted and never appears in
    an error message, the audit trail or a log (decision 0020)."""
    if not actor.has_perm("enrolment.enrol"):
        raise ApplicationError(
            "profile_forbidden", _("Only learners keep a learner profile."), kind=ErrorKind.FORBIDDEN
        )
    today = today or timezone.localdate()
    legal_name = legal_name_clean(legal_name, field="legal_name")
    if not pdpa_consent:
        raise ApplicationError(
            "pdpa_consent_required",
            _("We need your consent to process your personal data (PDPA 2010) to enrol you."),
            field="pdpa_consent",
        )
    if not _PHONE_RE.match((phone or "").strip()):
        raise ApplicationError(
            "phone_invalid", _("Give a phone number, digits only, with + for abroad."), field="phone"
        )
    if identity_kind == IdentityKind.NRIC:
        check = nric_check(identity_number, today=today)
        if not check.ok:
            raise _nric_error(check.code)
        number = check.normalised
        birth_date = check.birth_date  # derived from the NRIC
        nationality = "Malaysia"
    elif identity_kind == IdentityKind.PASSPORT:
        number = re.sub(r"[\s-]", "", identity_number or "").upper()
        if not _PASSPORT_RE.match(number):
            raise ApplicationError(
                "passport_invalid", _("A passport number has 6 to 12 letters and digits."), field="identity_number"
            )
        nationality = " ".join((nationality or "").split())
        if not nationality:
            raise ApplicationError("nationality_required", _("Give your nationality."), field="nationality")
        if birth_date is None or birth_date >= today:
            raise ApplicationError("birth_date_invalid", _("Give your date of birth."), field="birth_date")
    else:
        raise ApplicationError("identity_kind_invalid", _("Choose NRIC or passport."), field="identity_kind")
    assert birth_date is not None
    profile = LearnerProfile.objects.select_for_update().filter(user=actor).first()
    if profile is not None and profile.legal_name != legal_name and legal_name_locked(actor.pk):
        # R-CR-7: after the first credential the name changes only through a checked request.
        raise legal_name_locked_error()
    created = profile is None
    if profile is None:
        profile = LearnerProfile(user=actor)
    profile.legal_name = legal_name
    profile.identity_kind = identity_kind
    profile.identity_encrypted = identity_encrypt(number)
    profile.identity_hash = identity_hash(identity_kind, number)
    profile.identity_last4 = number.replace("-", "")[-4:]
    profile.nationality = nationality
    profile.birth_date = birth_date
    profile.phone = phone.strip()
    profile.student_id = (student_id or "").strip().upper()
    if created or profile.pdpa_consent_at is None:
        profile.pdpa_consent_at = timezone.now()
    profile.updated_at = timezone.now()
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise ApplicationError(
            "identity_taken",
            _("Another account already uses this identity document. Contact CFLEX if it is yours."),
            field="identity_number",
            kind=ErrorKind.CONFLICT,
        ) from None
    audit_record(actor=actor, action="learner_profile.create" if created else "learner_profile.update", obj=profile)
    return profile


def learner_identity_number(*, viewer: User, profile: LearnerProfile) -> str:
    """The full number, for the learner and CFLEX only; anyone else gets 404 (not theirs to know)."""
    if not viewer.has_perm("enrolment.view_identity", profile):
        raise ApplicationError("profile_not_found", _("Not found."), kind=ErrorKind.NOT_FOUND)
    return identity_decrypt(profile.identity_encrypted)
