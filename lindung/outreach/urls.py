from django.urls import path

from lindung.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.list_index, name="index"),
    path("<int:list_id>/", views.list_detail, name="detail"),
    path("<int:list_id>/entri/", views.list_entries, name="entries"),
    path("<int:list_id>/pilih/", views.list_select, name="select"),
    path("<int:list_id>/pilih/lindungi/", views.list_protect, name="protect"),
    path("<int:list_id>/perangkat/", views.list_officials, name="officials"),
    path("<int:list_id>/perangkat/<str:village>/surat.pdf", views.list_officials_letter, name="officials_letter"),
    path("<int:list_id>/unduh/", views.list_download, name="download"),
    path("<int:list_id>/cocokkan/", views.list_rematch, name="rematch"),
    path("<int:list_id>/hapus/", views.list_delete, name="delete"),
]
