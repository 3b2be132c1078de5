from django.urls import path

from enrolment import apis, cflex_apis

urlpatterns = [
    path("catalogue/", apis.CatalogueApi.as_view(), name="api-catalogue"),
    path("offerings/<int:pk>/enrol/", apis.EnrolApi.as_view(), name="api-enrol"),
    path("offerings/<int:pk>/marks/", apis.MarkRecordApi.as_view(), name="api-mark-record"),
    path("offerings/<int:pk>/results/", apis.ResultsTransitionApi.as_view(), name="api-results-transition"),
    path("enrolments/mine/", apis.MyEnrolmentsApi.as_view(), name="api-my-enrolments"),
    path("offerings/create/", cflex_apis.OfferingCreateApi.as_view(), name="api-offering-create"),
    path("enrolments/<int:pk>/fee/", cflex_apis.FeeRecordApi.as_view(), name="api-fee-record"),
    path(
        "offerings/<int:pk>/assessment-end/", cflex_apis.AssessmentEndApi.as_view(), name="api-offering-assessment-end"
    ),
]
