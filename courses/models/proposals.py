"""Micro-credential proposals (R-CAT, R-NM, R-AF) and their immutable submitted versions."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PTj
from courses.choices import (
    STANDALONE_KINDS,
    DeliveryMode,
    MQFLevel,
    ProposalKind,
    ProposalStatus,
    category_of,
)
from courses.models.records import Course, Programme, ProgrammeLevel


class Proposal(models.Model):
    """A micro-credential a course developer designs: the application form of section 2.1."""

    ptj = models.ForeignKey(PTj, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(_("category and type"), max_length=16, choices=ProposalKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, db_index=True
    )
    # R-CAT-1 / R-AF-1: the accredited origin, chosen from records; never a Foundation programme (R-CAT-5).
    origin_programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=~models.Q(level=ProgrammeLevel.FOUNDATION),
        verbose_name=_("origin programme"),
    )
    origin_course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("origin course"),
    )
    part_credits = models.PositiveSmallIntegerField(
        _("credits of this part"), null=True, blank=True, help_text=_("Divided courses only.")
    )
    code = models.CharField(_("code"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=250, blank=True)

    justification = models.TextField(_("justification"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    entry_requirements = models.TextField(_("entry requirements"), blank=True)
    synopsis = models.TextField(_("synopsis"), blank=True)
    study_session = models.CharField(_("study session"), max_length=60, blank=True)
    offer_start = models.DateField(_("offered from"), null=True, blank=True)
    offer_end = models.DateField(_("offered until"), null=True, blank=True)
    course_level = models.PositiveSmallIntegerField(_("course level"), choices=MQFLevel.choices, null=True, blank=True)
    learner_commitment = models.TextField(_("learner commitment"), blank=True)
    promotion = models.TextField(_("promotion"), blank=True)
    continuous_improvement = models.TextField(_("continuous improvement"), blank=True)
    fee = models.DecimalField(_("fee (MYR)"), max_digits=9, decimal_places=2, null=True, blank=True)
    delivery_mode = models.CharField(_("delivery mode"), max_length=16, choices=DeliveryMode.choices, blank=True)
    ptg_reference = models.CharField(_("PTG application reference"), max_length=60, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("owner")
    )
    co_developers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_developed_proposals", verbose_name=_("co-developers")
    )
    lecturers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="lectured_proposals", verbose_name=_("lecturers")
    )
    policy_version = models.ForeignKey(
        "policy.PolicyVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The policy version the last submission was checked under."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # The workflow (R-WF-1..5): see courses.policies.workflow.
    committee = models.CharField(
        _("committee"),
        max_length=8,
        blank=True,
        help_text=_("Set at each submission from the type and level (JTSPPA, JTSPS or JPPEU)."),
    )
    state_entered_at = models.DateTimeField(_("in this step since"), default=timezone.now)
    returned_from = models.CharField(
        _("returned from"),
        max_length=20,
        blank=True,
        help_text=_("The step that returned it; resubmission goes back there."),
    )
    milestone_done_at = models.DateTimeField(
        _("milestone marked done"), null=True, blank=True, help_text=_("The developer's claim, for CFLEX to confirm.")
    )
    video_not_applicable = models.BooleanField(
        _("video steps not applicable"), default=False, help_text=_("Face-to-face courses.")
    )
    sme = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sme_proposals",
        verbose_name=_("subject matter expert"),
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            # R-NM-2: codes are unique, whatever their case; a draft may have none yet.
            models.UniqueConstraint(Lower("code"), condition=~models.Q(code=""), name="proposal_code_ci_unique"),
            models.CheckConstraint(name="proposal_kind_valid", condition=models.Q(kind__in=ProposalKind.values)),
            models.CheckConstraint(name="proposal_status_valid", condition=models.Q(status__in=ProposalStatus.values)),
            models.CheckConstraint(
                name="proposal_fee_not_negative", condition=models.Q(fee__isnull=True) | models.Q(fee__gte=0)
            ),
            models.CheckConstraint(
                name="proposal_part_credits_positive",
                condition=models.Q(part_credits__isnull=True) | models.Q(part_credits__gt=0),
            ),
            models.CheckConstraint(
                name="proposal_offer_period_order",
                condition=models.Q(offer_start__isnull=True)
                | models.Q(offer_end__isnull=True)
                | models.Q(offer_end__gte=models.F("offer_start")),
            ),
            # R-AF-2: a stand-alone MC has no accredited origin.
            models.CheckConstraint(
                name="proposal_standalone_no_origin",
                condition=~models.Q(kind__in=sorted(STANDALONE_KINDS))
                | models.Q(origin_course__isnull=True, origin_programme__isnull=True, part_credits__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code or '(no code)'} {self.title or '(untitled)'}"

    @property
    def category(self) -> int:
        return category_of(self.kind)

    @property
    def is_draft(self) -> bool:
        return self.status == ProposalStatus.DRAFT

    @property
    def is_editable_state(self) -> bool:
        """A draft, or returned for revision (R-WF-3): the developer may change it."""
        return self.status in (ProposalStatus.DRAFT, ProposalStatus.RETURNED)


class ProposalVersionError(Exception):
    """Raised on any attempt to change or delete a submitted version."""


class ProposalVersion(models.Model):
    """What was submitted, frozen: the next issue's reviewers diff these (R-WF-3)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    policy_version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_unique_number"),
            models.CheckConstraint(name="proposal_version_number_positive", condition=models.Q(number__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ProposalVersionError("A submitted version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ProposalVersionError("A submitted version cannot be deleted.")
