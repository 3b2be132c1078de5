from django.urls import path

from courses.views import files, live, meetings, proposals, quality, workflow

urlpatterns = [
    path("", proposals.proposal_list, name="proposal-list"),
    path("new/", proposals.proposal_new, name="proposal-new"),
    path("<int:pk>/", proposals.proposal_edit, name="proposal-edit"),
    path("<int:pk>/preview/", live.proposal_preview, name="proposal-preview"),
    path("<int:pk>/submit/", proposals.proposal_submit_view, name="proposal-submit"),
    path("<int:pk>/delete/", proposals.proposal_delete_view, name="proposal-delete"),
    path("<int:pk>/market-survey/", files.survey_upload, name="proposal-survey-upload"),
    path("<int:pk>/market-survey/analysis/", files.survey_download, name="proposal-survey-download"),
    path("<int:pk>/review/", workflow.proposal_workflow, name="proposal-workflow"),
    path("<int:pk>/transition/", workflow.proposal_transition_view, name="proposal-transition"),
    path("<int:pk>/sme/", workflow.proposal_sme_view, name="proposal-sme"),
    path("<int:pk>/video-steps/", workflow.proposal_video_view, name="proposal-video"),
    path("<int:pk>/quality/", quality.proposal_quality, name="proposal-quality"),
    path("quality/", quality.quality_list, name="quality-list"),
    path("queue/", workflow.queue_view, name="proposal-queue"),
    path("board/", workflow.board_view, name="proposal-board"),
    path("meetings/", meetings.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/agenda.pdf", meetings.agenda_pdf, name="agenda-pdf"),
    path("meetings/agenda/add/", meetings.agenda_add_view, name="agenda-add"),
    path("meetings/agenda/<int:pk>/decide/", meetings.agenda_decide_view, name="agenda-decide"),
]
