"""Committee and Senate meetings with their agendas, and registrations (R-WF-1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.choices import Decision, MeetingBody, RegistrationKind
from courses.models.proposals import Proposal


class Meeting(models.Model):
    """One sitting of a committee (JTSPPA, JTSPS, JPPEU) or of the Senate."""

    body = models.CharField(_("body"), max_length=8, choices=MeetingBody.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    minute_reference = models.CharField(_("minutes reference"), max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(name="meeting_body_valid", condition=models.Q(body__in=MeetingBody.values))
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%Y-%m-%d}"


class AgendaItem(models.Model):
    """A proposal on a meeting's agenda, and the decision taken on it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="agenda_items")
    body = models.CharField(
        max_length=8, choices=MeetingBody.choices, help_text=_("The meeting's body (for the constraint).")
    )
    position = models.PositiveSmallIntegerField(default=1)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    minute_reference = models.CharField(_("minute reference"), max_length=80, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "proposal"], name="agenda_item_once_per_meeting"),
            # A proposal waits on at most one undecided agenda item per body.
            models.UniqueConstraint(
                fields=["proposal", "body"], condition=models.Q(decision=""), name="agenda_item_one_pending"
            ),
            models.CheckConstraint(
                name="agenda_item_decision_valid", condition=models.Q(decision__in=["", *Decision.values])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.position} {self.proposal_id}"


class Registration(models.Model):
    """A registration reference: MQA (by BJKA, MQA courses only) or UNIMAS system (by CFLEX)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="registrations")
    kind = models.CharField(_("registration"), max_length=8, choices=RegistrationKind.choices)
    reference = models.CharField(_("reference"), max_length=80)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "kind"], name="registration_once_per_kind"),
            models.CheckConstraint(name="registration_reference_given", condition=~models.Q(reference="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
