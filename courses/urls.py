from django.urls import path

from courses.views import files, live, proposals

urlpatterns = [
    path("", proposals.proposal_list, name="proposal-list"),
    path("new/", proposals.proposal_new, name="proposal-new"),
    path("<int:pk>/", proposals.proposal_edit, name="proposal-edit"),
    path("<int:pk>/preview/", live.proposal_preview, name="proposal-preview"),
    path("<int:pk>/submit/", proposals.proposal_submit_view, name="proposal-submit"),
    path("<int:pk>/delete/", proposals.proposal_delete_view, name="proposal-delete"),
    path("<int:pk>/market-survey/", files.survey_upload, name="proposal-survey-upload"),
    path("<int:pk>/market-survey/analysis/", files.survey_download, name="proposal-survey-download"),
]
