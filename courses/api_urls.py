"""Routes of the courses API, included in mcportal/urls.py's ``api_v1``."""

from django.urls import path

from courses.apis import proposals, slt, surveys

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
]
