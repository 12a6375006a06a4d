from django.urls import path

from lindung.contributions import views

app_name = "contributions"
urlpatterns = [
    path("pemberi-kerja/<int:sponsor_id>/", views.sponsor_statement, name="statement"),
    path("pemberi-kerja/<int:sponsor_id>/tagih/", views.sponsor_bill, name="bill"),
    path("pemberi-kerja/<int:sponsor_id>/bayar/", views.sponsor_pay, name="pay"),
    path("pemberi-kerja/<int:sponsor_id>/riwayat/", views.sponsor_history, name="history"),
    path("riwayat/templat.csv", views.history_template, name="history_template"),
    path("tagihan/", views.overdue, name="overdue"),
    path("tagihan/<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("tagihan/<int:invoice_id>/tagihan.xlsx", views.invoice_xlsx, name="invoice_xlsx"),
    path("tagihan/<int:invoice_id>/tagihan.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("pembayaran/", views.unmatched, name="unmatched"),
    path("pembayaran/<int:payment_id>/cocokkan/", views.payment_match, name="match"),
    path("pembayaran/<int:payment_id>/batalkan/", views.payment_reverse, name="reverse"),
    path("rencana-anggaran/", views.budget_planner, name="planner"),
    path("peserta/<int:person_id>/", views.person_coverage, name="person_coverage"),
]
