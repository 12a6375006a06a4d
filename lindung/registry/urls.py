from django.urls import path

from lindung.registry import views

app_name = "registry"
urlpatterns = [
    path("peserta/", views.person_list, name="person_list"),
    path("peserta/daftar/", views.enrol, name="enrol"),
    path("peserta/<int:person_id>/", views.person_detail, name="person_detail"),
    path("peserta/<int:person_id>/nik/", views.person_reveal_nik, name="person_reveal_nik"),
    path("peserta/<int:person_id>/ubah/", views.person_edit, name="person_edit"),
    path(
        "peserta/<int:person_id>/kepesertaan/<int:membership_id>/<str:action>/",
        views.membership_action,
        name="membership_action",
    ),
    path("peserta/<int:person_id>/keluarga/", views.relative_add, name="relative_add"),
    path("pemberi-kerja/", views.sponsor_list, name="sponsor_list"),
    path("pemberi-kerja/baru/", views.sponsor_create, name="sponsor_create"),
    path("pemberi-kerja/<int:sponsor_id>/", views.sponsor_detail, name="sponsor_detail"),
    path("pemberi-kerja/<int:sponsor_id>/perjanjian/baru/", views.agreement_create, name="agreement_create"),
    path("perjanjian/", views.agreement_list, name="agreement_list"),
    path("perjanjian/<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("impor/", views.import_upload, name="import_upload"),
    path("impor/templat.xlsx", views.import_template, name="import_template"),
    path("impor/<int:batch_id>/", views.import_detail, name="import_detail"),
    path("impor/<int:batch_id>/keputusan/", views.import_decide, name="import_decide"),
    path("impor/<int:batch_id>/laporan.xlsx", views.import_report, name="import_report"),
]
