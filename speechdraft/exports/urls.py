from django.urls import path

from speechdraft.exports import views

app_name = "exports"

urlpatterns = [
    path("<int:pk>/status/", views.export_status, name="status"),
    path("<int:pk>/retry/", views.export_retry, name="retry"),
    path("<int:pk>/download/", views.export_download, name="download"),
]
