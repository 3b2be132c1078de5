"""The policy app's vocabularies, importable by other apps (a door, like ``api.py`` and ``data.py``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    """R-SLT-1 activities. Delivery activities first, then assessment activities."""

    SLIDE = "slide", _("Slide")
    FORUM = "forum", _("Forum")
    VIDEO = "video", _("Video")
    WEBINAR = "webinar", _("Webinar")
    LECTURE = "lecture", _("Lecture")
    READING = "reading", _("Reading (ebook, journal, article)")
    QUIZ = "quiz", _("Quiz (MCQ)")
    ASSIGNMENT_VIDEO = "assignment_video", _("Assignment: video")
    ASSIGNMENT_ESSAY = "assignment_essay", _("Assignment: essay")
    PRESENTATION = "presentation", _("Presentation (video)")
    EXAM_SHORT = "exam_short", _("Examination, short answer")
    EXAM_LONG = "exam_long", _("Examination, long answer")
