from django.urls import path

from lindung.offices import views

app_name = "offices"

urlpatterns = [
    path("", views.office_list, name="list"),
    path("impor/", views.office_import, name="import"),
    path("kantor.xlsx", views.office_export, name="export"),
    path("<slug:code>/", views.office_detail, name="detail"),
    path("<slug:code>/ubah/", views.office_edit, name="edit"),
    path("<slug:code>/wilayah/", views.area_assign, name="area_assign"),
]
