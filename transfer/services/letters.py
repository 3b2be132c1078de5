"""R-CT-6: the decision letter. Written once as a PDF (``core.pdf``, the locked-down WeasyPrint),
kept, and sent by email to the learner and to the CFLEX administrators. The task that calls
``decision_letter_issue`` may run twice: the letter is written once and sent once."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Role, RoleAssignment, User
from audit.services import audit_record
from core.pdf import render_pdf
from transfer.choices import DECIDED_STATUSES, ApplicationStatus
from transfer.models import Application, DecisionLetter
from transfer.policies.explain import cap_label
from transfer.selectors import programme_data, with_lines


def letter_context(application: Application) -> dict[str, Any]:
    programme = programme_data(application.programme_id)
    result = application.result or {}
    names = {c.code: c.name for c in programme.courses}
    outcomes = {o["ref"]: o for o in result.get("credentials", [])}
    lines = [
        {
            "line": line,
            "course_name": names.get(line.course_code, ""),
            "outcome": outcomes.get(line.credential.ref, {}),
        }
        for line in application.lines.all()
    ]
    credited = [c for c in result.get("courses", []) if c.get("credited")]
    return {
        "application": application,
        "programme": programme,
        "result": result,
        "lines": lines,
        "credited": credited,
        "approved": application.status == ApplicationStatus.APPROVED,
        "binding_label": cap_label(result.get("binding_cap", "")) if result.get("binding_cap") else "",
        "signatory": application.decided_by,
        "today": timezone.localdate(),
    }


def decision_letter_render(application: Application) -> bytes:
    """The letter in the learner's language."""
    with translation.override(application.learner.preferred_language or "en"):
        html = render_to_string("transfer/letter_pdf.html", letter_context(application))
    return render_pdf(html)


def _administrators() -> list[User]:
    ids = RoleAssignment.objects.filter(role=Role.CFLEX_ADMIN, revoked_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _message(letter: DecisionLetter, recipient: User, pdf: bytes) -> EmailMessage:
    application = letter.application
    context = {
        "recipient": recipient,
        "application": application,
        "programme": f"{application.programme.code} {application.programme.name}",
        "decision": application.status,
        "credits": application.credits_transferred,
        "learner_name": application.learner.full_name,
        "is_learner": recipient.pk == application.learner_id,
    }
    with translation.override(recipient.preferred_language or "en"):
        subject = " ".join(render_to_string("emails/transfer_decision.subject.txt", context).split())
        body = render_to_string("emails/transfer_decision.body.txt", context)
    message = EmailMessage(subject, body, to=[recipient.email])
    message.attach(f"credit-transfer-{application.pk}.pdf", pdf, "application/pdf")
    return message


def decision_letter_issue(*, application_id: int) -> DecisionLetter | None:
    """Write the letter of a decided application (once) and send it (once). None while the
    application is undecided or withdrawn.

    The PDF is rendered before any transaction or row lock; the letter row is then written and
    claimed as sent under the application's lock, and the mail leaves only after that commits
    (``on_commit``). A run that loses a race keeps the winner's letter and sends nothing, so a
    task that runs twice leaves one letter and one set of mails (at most once)."""
    application = with_lines(Application.objects.filter(pk=application_id)).first()
    if application is None or application.status not in DECIDED_STATUSES:
        return None
    pdf: bytes | None = None
    if not DecisionLetter.objects.filter(application_id=application_id).exists():
        pdf = decision_letter_render(application)  # slow: outside the lock and the transaction
    with transaction.atomic(durable=True):
        Application.objects.select_for_update().filter(pk=application_id).first()
        letter = DecisionLetter.objects.filter(application_id=application_id).first()
        if letter is None:
            assert pdf is not None  # a letter is never deleted, so none then means none now
            letter = DecisionLetter(
                application=application,
                sha256=hashlib.sha256(pdf).hexdigest(),
                decision=application.status,
                policy_version_id=application.policy_version_id,
            )
            letter.file.save(f"decision-{application.pk}.pdf", ContentFile(pdf), save=False)
            letter.save()
            audit_record(
                actor=None,
                action="transfer.letter",
                obj=application,
                data={
                    "decision": application.status,
                    "sha256": letter.sha256,
                    "policy_version": letter.policy_version_id,
                },
            )
        if letter.sent_at is not None:
            return letter
        letter.application = application
        with letter.file.open("rb") as handle:
            attachment = handle.read()
        recipients = {application.learner.pk: application.learner}
        for admin in _administrators():
            recipients.setdefault(admin.pk, admin)
        messages = [_message(letter, recipient, attachment) for recipient in recipients.values()]
        letter.sent_at = timezone.now()
        letter.sent_to = [r.email for r in recipients.values()]
        letter.save(update_fields=["sent_at", "sent_to"])
        audit_record(actor=None, action="transfer.letter_sent", obj=application, data={"to": letter.sent_to})
        transaction.on_commit(lambda: _send_all(messages))
    return letter


def _send_all(messages: list[EmailMessage]) -> None:
    for message in messages:
        message.send()
