from django.urls import path

from credentials import apis

urlpatterns = [
    path("credentials/mine/", apis.MyCredentialsApi.as_view(), name="api-my-credentials"),
    path("credentials/verify/", apis.CredentialVerifyApi.as_view(), name="api-credential-verify"),
    path("credentials/<uuid:verification_id>/", apis.CredentialStatusApi.as_view(), name="api-credential-status"),
    path(
        "credentials/<uuid:verification_id>/status/",
        apis.CredentialStatusChangeApi.as_view(),
        name="api-credential-status-change",
    ),
    path("credentials/batches/<int:pk>/", apis.BatchProgressApi.as_view(), name="api-credential-batch"),
    path(
        "credentials/<uuid:verification_id>/wallet-offer/",
        apis.WalletOfferApi.as_view(),
        name="api-credential-wallet-offer",
    ),
    path("wallet/exchanges/<str:token>/", apis.WalletExchangeApi.as_view(), name="api-wallet-exchange"),
]
