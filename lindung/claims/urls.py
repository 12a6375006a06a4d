from django.urls import path

from lindung.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("baru/", views.intake, name="intake"),
    path("<int:claim_id>/", views.detail, name="detail"),
    path("<int:claim_id>/langkah/<str:action>/", views.step, name="step"),
    path("<int:claim_id>/ahli-waris/", views.heirs_change, name="heirs"),
    path("<int:claim_id>/dokumen/", views.document_add, name="document_add"),
    path("<int:claim_id>/dokumen/<int:document_id>/", views.document_open, name="document"),
    path("pembayaran.<str:extension>", views.payouts, name="payouts"),
]
