from django.urls import include, path

from config.api import api
from lindung.core.observability import metrics
from lindung.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("", include("lindung.core.urls")),
    path("", include("lindung.accounts.urls")),
    path("wilayah/", include("lindung.regions.urls")),
    path("", include("lindung.registry.urls")),
    path("simulasi/", include("lindung.calculator.urls")),
    path("iuran/", include("lindung.contributions.urls")),
    path("klaim/", include("lindung.claims.urls")),
    path("sasaran/", include("lindung.outreach.urls")),
    path("kantor/", include("lindung.offices.urls")),
    path("pantau/", include("lindung.monitoring.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
