"""Routes of the credit-transfer API, under /api/v1/transfer/ (mcportal/urls.py)."""

from django.urls import path

from transfer import apis

urlpatterns = [
    path("transitions/", apis.TransitionTableApi.as_view(), name="api-transfer-transitions"),
    path("programmes/", apis.ProgrammeListApi.as_view(), name="api-transfer-programmes"),
    path("programmes/<int:pk>/", apis.ProgrammeDetailApi.as_view(), name="api-transfer-programme"),
    path("credentials/", apis.CredentialListApi.as_view(), name="api-transfer-credentials"),
    path("credentials/create/", apis.CredentialCreateApi.as_view(), name="api-transfer-credential-create"),
    path(
        "credentials/<int:pk>/withdraw/", apis.CredentialWithdrawApi.as_view(), name="api-transfer-credential-withdraw"
    ),
    path("evaluate/", apis.EvaluateApi.as_view(), name="api-transfer-evaluate"),
    path("applications/", apis.ApplicationListApi.as_view(), name="api-transfer-applications"),
    path("applications/create/", apis.ApplicationCreateApi.as_view(), name="api-transfer-application-create"),
    path("applications/<int:pk>/", apis.ApplicationDetailApi.as_view(), name="api-transfer-application"),
    path(
        "applications/<int:pk>/transition/",
        apis.ApplicationTransitionApi.as_view(),
        name="api-transfer-application-transition",
    ),
    path(
        "applications/<int:pk>/mapping/", apis.ApplicationMappingApi.as_view(), name="api-transfer-application-mapping"
    ),
    path(
        "applications/<int:pk>/lines/<int:line>/evidence/",
        apis.LineEvidenceApi.as_view(),
        name="api-transfer-line-evidence",
    ),
    path(
        "applications/<int:pk>/lines/<int:line>/assessment/",
        apis.LineAssessmentApi.as_view(),
        name="api-transfer-line-assessment",
    ),
    path("applications/<int:pk>/letter.pdf", apis.LetterApi.as_view(), name="api-transfer-letter"),
    path("queue/", apis.QueueApi.as_view(), name="api-transfer-queue"),
    path("age-exceptions/create/", apis.AgeExceptionCreateApi.as_view(), name="api-transfer-age-exception"),
    path(
        "age-exceptions/<int:pk>/revoke/",
        apis.AgeExceptionRevokeApi.as_view(),
        name="api-transfer-age-exception-revoke",
    ),
]
