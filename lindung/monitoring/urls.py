from django.urls import path

from lindung.monitoring import views

app_name = "monitoring"

# A region's code (14.08) or "nasional" for the whole country.
urlpatterns = [
    path("", views.home, name="home"),
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("angka-bpjs/templat.csv", views.agency_template, name="agency_template"),
    path("kantor/<slug:office_code>/", views.office, name="office"),
    path("kantor/<slug:office_code>/laporan.pdf", views.office_report, name="office_report"),
    path("<str:code>/", views.coverage, name="coverage"),
    path("<str:code>/desa/", views.villages, name="villages"),
    path("<str:code>/keuangan/", views.money, name="money"),
    path("<str:code>/komitmen/", views.commitment, name="commitment"),
    path("<str:code>/peringkat/", views.ranking, name="ranking"),
    path("<str:code>/peringkat/bobot/", views.ranking_weights, name="ranking_weights"),
    path("<str:code>/laporan.pdf", views.report, name="report"),
    path("<str:code>/angkatan-kerja/", views.workforce_upload, name="workforce_upload"),
    path("<str:code>/angka-bpjs/", views.agency_upload, name="agency_upload"),
    path("<str:code>/target/", views.target_save, name="target_save"),
]
