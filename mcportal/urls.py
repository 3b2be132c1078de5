from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.apis import MeApi
from accounts.views import language_choose, language_set
from core.apis import ApiRootApi
from core.views import healthz, home
from policy.apis import PolicyInForceApi

handler400 = "core.views.bad_request"

api_v1: list[URLPattern | URLResolver] = [
    path("", ApiRootApi.as_view(), name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("policy/in-force/", PolicyInForceApi.as_view(), name="api-policy-in-force"),
    path("", include("courses.api_urls")),
    path("", include("enrolment.api_urls")),
    path("", include("credentials.api_urls")),
    path("transfer/", include("transfer.api_urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # First after these: the public verification pages are the most requested, and Django tries
    # the patterns in order (no other app's pattern overlaps credentials'; decision 0235).
    path("", include("credentials.urls")),
    path("accounts/", include("accounts.urls")),
    path("proposals/", include("courses.urls")),
    path("", include("enrolment.urls")),
    path("reports/", include("reports.urls")),
    path("transfer/", include("transfer.urls")),
    # The language picker: Django's set_language, also saving a logged-in person's choice.
    path("i18n/setlang/", language_set, name="set_language"),
    # The GET language switch of the public verification page, kept the same for everyone (decision 0235).
    path("i18n/language/", language_choose, name="language_choose"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
]
