"""Routes of the courses API, included in mcportal/urls.py's ``api_v1``."""

from django.urls import path

from courses.apis import proposals, slt, surveys, workflow

urlpatterns = [
    path("proposals/", proposals.ProposalListApi.as_view(), name="api-proposal-list"),
    path("proposals/create/", proposals.ProposalCreateApi.as_view(), name="api-proposal-create"),
    path("proposals/code-suggestion/", proposals.CodeSuggestionApi.as_view(), name="api-proposal-code-suggestion"),
    path("proposals/<int:pk>/", proposals.ProposalDetailApi.as_view(), name="api-proposal-detail"),
    path("proposals/<int:pk>/update/", proposals.ProposalUpdateApi.as_view(), name="api-proposal-update"),
    path("proposals/<int:pk>/delete/", proposals.ProposalDeleteApi.as_view(), name="api-proposal-delete"),
    path("proposals/<int:pk>/readiness/", proposals.ProposalReadinessApi.as_view(), name="api-proposal-readiness"),
    path("proposals/<int:pk>/submit/", proposals.ProposalSubmitApi.as_view(), name="api-proposal-submit"),
    path("proposals/<int:pk>/market-survey/", surveys.MarketSurveyUploadApi.as_view(), name="api-proposal-survey"),
    path(
        "proposals/<int:pk>/market-survey/analysis/",
        surveys.MarketSurveyDownloadApi.as_view(),
        name="api-proposal-survey-download",
    ),
    path("slt/calculate/", slt.SLTCalculateApi.as_view(), name="api-slt-calculate"),
    path("workflow/transitions/", workflow.TransitionTableApi.as_view(), name="api-workflow-table"),
    path("proposals/<int:pk>/workflow/", workflow.ProposalWorkflowApi.as_view(), name="api-proposal-workflow"),
    path("proposals/<int:pk>/transition/", workflow.ProposalTransitionApi.as_view(), name="api-proposal-transition"),
    path("proposals/<int:pk>/sme/", workflow.ProposalSmeApi.as_view(), name="api-proposal-sme"),
    path("proposals/<int:pk>/video-steps/", workflow.ProposalVideoStepsApi.as_view(), name="api-proposal-video"),
    path("queue/", workflow.QueueApi.as_view(), name="api-queue"),
    path("pipeline/", workflow.PipelineApi.as_view(), name="api-pipeline"),
    path("meetings/", workflow.MeetingListApi.as_view(), name="api-meeting-list"),
    path("meetings/<int:pk>/", workflow.MeetingDetailApi.as_view(), name="api-meeting-detail"),
    path("meetings/<int:pk>/agenda/", workflow.AgendaAddApi.as_view(), name="api-agenda-add"),
    path("meetings/<int:pk>/agenda.pdf", workflow.AgendaPdfApi.as_view(), name="api-agenda-pdf"),
    path("agenda-items/<int:pk>/decision/", workflow.AgendaDecisionApi.as_view(), name="api-agenda-decision"),
]
