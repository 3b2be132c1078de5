from django.urls import path

from credentials import bulk_views, views

app_name = "credentials"

urlpatterns = [
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<uuid:verification_id>/", views.verify, name="verify"),
    path("verify/<uuid:verification_id>/credential.json", views.verify_json, name="verify_json"),
    path("credentials/status/<str:purpose>/<int:number>/", views.status_list, name="status_list"),
    path(".well-known/did.json", views.did_document, name="did"),
    path("ns/mcportal/v1", views.own_context, name="context"),
    path("catalogue/achievements/<str:code>/", views.achievement, name="achievement"),
    path("catalogue/achievements/<str:code>/badge.svg", views.badge_svg, name="badge_svg"),
    path("catalogue/achievements/<str:code>/badge.png", views.badge_png, name="badge_png"),
    path("issuer/", views.issuer, name="issuer"),
    path("issuer/crest.png", views.issuer_image, name="issuer_image"),
    path("credentials/", views.wallet, name="wallet"),
    path("credentials/manifest.webmanifest", views.wallet_manifest, name="wallet_manifest"),
    path("credentials/sw.js", views.wallet_worker, name="wallet_worker"),
    path("credentials/<uuid:verification_id>/<str:kind>.pdf", views.download, name="download"),
    path("credentials/<uuid:verification_id>/wallet/", views.add_to_wallet, name="add_to_wallet"),
    path("credentials/transcripts/", views.transcripts, name="transcripts"),
    path("credentials/transcripts/<int:pk>/withdraw/", views.transcript_withdraw, name="transcript_withdraw"),
    path("transcripts/<slug:token>/", views.transcript, name="transcript"),
    path("transcripts/<slug:token>/clr.json", views.transcript_json, name="transcript_json"),
    path("transcripts/<slug:token>/transcript.pdf", views.transcript_pdf, name="transcript_pdf"),
    path("cflex/credentials/", views.batches, name="batches"),
    path("cflex/credentials/batch/<int:pk>/", views.batch, name="batch"),
    path("cflex/credentials/batch/<int:pk>/retry/", views.batch_retry, name="batch_retry"),
    path("cflex/credentials/batch/<int:pk>/zip/", bulk_views.zip_request, name="zip_request"),
    path("cflex/credentials/batch/<int:pk>/resend/", bulk_views.resend, name="resend"),
    path("cflex/credentials/zip/<int:pk>/", bulk_views.zip_page, name="zip"),
    path("cflex/credentials/zip/<int:pk>/status.json", bulk_views.zip_status, name="zip_status"),
    path("cflex/credentials/zip/<int:pk>/download/", bulk_views.zip_file, name="zip_file"),
    path("cflex/credentials/<uuid:verification_id>/", views.manage, name="manage"),
]
