from django.urls import path

from gongsheng.documents import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.document_list, name="list"),
    path("documents/reports/<slug:name>/", views.report_render, name="render"),
    path("documents/<int:document_id>/delete/", views.document_delete, name="delete"),
    path("documents/<int:document_id>/<slug:fmt>/", views.document_download, name="download"),
]
