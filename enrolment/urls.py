from django.urls import path

from enrolment import cflex_views, name_views, views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", views.course_page, name="course-page"),
    path("catalogue/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("learning/", views.my_learning, name="my-learning"),
    path("learning/profile/", views.profile, name="learner-profile"),
    path("learning/profile/name/", name_views.name_change, name="name-change"),
    path("learning/profile/name/<int:pk>/evidence/", name_views.name_change_evidence, name="name-change-evidence"),
    path("names/", name_views.name_change_queue, name="name-change-queue"),
    path("names/<int:pk>/", name_views.name_change_detail, name="name-change-detail"),
    path("learning/<int:pk>/", views.learning_enrolment, name="learning-enrolment"),
    path("teaching/", views.teaching, name="teaching"),
    path("teaching/<int:pk>/", views.gradebook, name="gradebook"),
    path("teaching/import/<int:pk>/", views.grade_import, name="grade-import"),
    path("results/", views.results_queue, name="results-queue"),
    path("offerings/", cflex_views.offerings, name="cflex-offerings"),
    path("offerings/<int:pk>/", cflex_views.offering, name="cflex-offering"),
    path("offerings/fee/<int:pk>/", cflex_views.fee_record, name="cflex-fee"),
]
