from django.urls import path

from gongsheng.attachments import views

app_name = "attachments"

urlpatterns = [
    path("attachments/add/", views.attachment_add, name="add"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="download"),
    path("attachments/<int:attachment_id>/remove/", views.attachment_remove, name="remove"),
]
