from django.urls import path

from reports import views

urlpatterns = [
    path("", views.index, name="reports-index"),
    path("esp/", views.esp, name="report-esp"),
    path("<slug:slug>/", views.dashboard, name="report"),
    path("<slug:slug>/<slug:table>.csv", views.table_export, name="report-csv"),
]
