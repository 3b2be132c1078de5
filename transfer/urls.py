"""Pages of credit transfer and APEL, under /transfer/."""

from django.urls import path

from transfer import views

urlpatterns = [
    path("", views.home, name="transfer-home"),
    path("programmes/", views.programmes, name="transfer-programmes"),
    path("check/", views.check, name="transfer-check"),
    path("apply/", views.apply, name="transfer-apply"),
    path("credentials/add/", views.credential_add, name="transfer-credential-add"),
    path("credentials/<int:pk>/withdraw/", views.credential_withdraw, name="transfer-credential-withdraw"),
    path("credentials/<int:pk>/evidence/", views.credential_evidence, name="transfer-credential-evidence"),
    path("queue/", views.queue, name="transfer-queue"),
    path("applications/<int:pk>/", views.application_page, name="transfer-application"),
    path("applications/<int:pk>/transition/", views.transition, name="transfer-transition"),
    path("applications/<int:pk>/mapping/", views.mapping, name="transfer-mapping"),
    path("applications/<int:pk>/lines/<int:line>/evidence/", views.line_evidence, name="transfer-line-evidence"),
    path("applications/<int:pk>/lines/<int:line>/assess/", views.line_assess, name="transfer-line-assess"),
    path("applications/<int:pk>/age-exception/", views.age_exception, name="transfer-age-exception"),
    path(
        "applications/<int:pk>/age-exception/revoke/",
        views.age_exception_revoke,
        name="transfer-age-exception-revoke",
    ),
    path("applications/<int:pk>/letter.pdf", views.letter_pdf, name="transfer-letter"),
]
