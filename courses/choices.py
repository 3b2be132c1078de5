"""Choices shared by the models and the pure rules (``courses.policies``), so the rules need
no model import."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalKind(models.TextChoices):
    """R-CAT-1, R-CAT-3, R-CAT-4: UNIMAS develops Category 1 and Category 3 only, so Category 2
    cannot be proposed at all."""

    CAT1_WHOLE = "cat1_whole", _("Category 1: a whole accredited course")
    CAT1_PART = "cat1_part", _("Category 1: part of a divided accredited course")
    CAT3_SAMC = "cat3_samc", _("Category 3: stand-alone micro-credential (SAMC)")
    CAT3_QVC = "cat3_qvc", _("Category 3: QVC-verified stand-alone micro-credential")


ACCREDITED_KINDS = frozenset({ProposalKind.CAT1_WHOLE, ProposalKind.CAT1_PART})
STANDALONE_KINDS = frozenset({ProposalKind.CAT3_SAMC, ProposalKind.CAT3_QVC})


def category_of(kind: str) -> int:
    return 1 if kind in ACCREDITED_KINDS else 3


class ProposalStatus(models.TextChoices):
    """R-WF-1, in order, plus ``returned`` (R-WF-3: back with the developer for revision) and
    ``committee_approved`` (between the committee's decision and the Senate's). The transition
    table is ``courses.policies.workflow.TABLE``."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    HEAD_APPROVED = "head_approved", _("Approved by Head of PTj")
    CFLEX_APPROVED = "cflex_approved", _("Approved by CFLEX (development starts)")
    TABLE4_APPROVED = "table4_approved", _("Table 4 approved")
    CONTENT_DEVELOPED = "content_developed", _("Content developed")
    VIDEO_MATERIALS = "video_materials", _("Video materials")
    PROMO_VIDEO = "promo_video", _("Promotional video")
    UPLOADED = "uploaded", _("Uploaded to platform")
    SME_VETTED = "sme_vetted", _("Vetted by SME")
    PRESENTED = "presented", _("Presented to committee")
    COMMITTEE_APPROVED = "committee_approved", _("Approved by committee")
    SENATE_APPROVED = "senate_approved", _("Senate approved")
    REGISTERED = "registered", _("Registered")
    READY_TO_OFFER = "ready_to_offer", _("Ready to offer")
    RETURNED = "returned", _("Returned for revision")


class Decision(models.TextChoices):
    """A committee's or the Senate's decision on one agenda item."""

    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for revision")
    DEFERRED = "deferred", _("Deferred")


class MeetingBody(models.TextChoices):
    """Who meets: the three committees of R-WF-1, and the Senate."""

    JTSPPA = "JTSPPA", _("JTSPPA (undergraduate, MQA)")
    JTSPS = "JTSPS", _("JTSPS (postgraduate, MQA)")
    JPPEU = "JPPEU", _("JPPEU (non-MQA)")
    SENATE = "SENATE", _("Senate")


class RegistrationKind(models.TextChoices):
    """R-WF-1 "registered": BJKA registers MQA courses with MQA; CFLEX registers every course in
    the UNIMAS system."""

    MQA = "mqa", _("MQA registration")
    UNIMAS = "unimas", _("UNIMAS system registration")


class DeliveryMode(models.TextChoices):
    """Policy a): the three modes; SBL is a conventional course delivered 30-79% online (R-WF-6)."""

    ODL = "odl", _("Open and distance learning (ODL)")
    CONVENTIONAL = "conventional", _("Conventional")
    BLENDED = "blended", _("Blended")


class MQFLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("MQF level 1 (Certificate)")
    LEVEL_2 = 2, _("MQF level 2 (Certificate)")
    LEVEL_3 = 3, _("MQF level 3 (Certificate)")
    LEVEL_4 = 4, _("MQF level 4 (Diploma)")
    LEVEL_5 = 5, _("MQF level 5 (Advanced Diploma)")
    LEVEL_6 = 6, _("MQF level 6 (Bachelor)")
    LEVEL_7 = 7, _("MQF level 7 (Master)")
    LEVEL_8 = 8, _("MQF level 8 (Doctorate)")


class AssessmentKind(models.TextChoices):
    """R-AS-1, R-AS-5: continuous = formative, final = summative."""

    CONTINUOUS = "continuous", _("Continuous (formative)")
    FINAL = "final", _("Final (summative)")


class AssessmentMethod(models.TextChoices):
    QUIZ = "quiz", _("Online quiz")
    FORUM = "forum", _("Forum participation")
    ASSIGNMENT_VIDEO = "assignment_video", _("Video assignment")
    ASSIGNMENT_ESSAY = "assignment_essay", _("Essay")
    PRESENTATION = "presentation", _("Presentation (video)")
    EXAM_SHORT = "exam_short", _("Examination, short answer")
    EXAM_LONG = "exam_long", _("Examination, long answer")
    PROJECT = "project", _("Project")
    OTHER = "other", _("Other")


# Only online quizzes may be retaken (R-AS-4).
RETAKE_METHODS = frozenset({AssessmentMethod.QUIZ})


class UploadKind(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"
