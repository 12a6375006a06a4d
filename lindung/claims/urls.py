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
    path("peserta/", views.member_lookup, name="member_lookup"),
    path("<int:claim_id>/dokumen/<int:document_id>/periksa/", views.document_check, name="document_check"),
    path("<int:claim_id>/dokumen/kecualikan/", views.document_waive, name="document_waive"),
    path("<int:claim_id>/bagian-ahli-waris/", views.shares, name="shares"),
    path("<int:claim_id>/pembayaran/<int:payout_id>/<str:action>/", views.payout_action, name="payout_action"),
    path("pembayaran/", views.batches, name="batches"),
    path("pembayaran/batch/", views.batch_create, name="batch_create"),
    path("pembayaran/batch/<int:batch_id>/berkas/", views.batch_file, name="batch_file"),
    path("pembayaran/batch/<int:batch_id>/daftar.pdf", views.batch_pdf, name="batch_pdf"),
    path("pembayaran/batch/<int:batch_id>/jawaban-bank/", views.batch_return, name="batch_return"),
    path("riwayat/", views.history_page, name="history"),
    path("riwayat/templat.csv", views.history_template, name="history_template"),
    path("pembayaran.<str:extension>", views.payout_register, name="payouts"),
]
