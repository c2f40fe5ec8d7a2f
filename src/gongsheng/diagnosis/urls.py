from django.urls import path

from gongsheng.diagnosis import views

app_name = "diagnosis"

urlpatterns = [
    path("diagnosis/", views.province, name="province"),
    path("consortia/<int:consortium_id>/diagnosis/", views.consortium, name="consortium"),
    path(
        "consortia/<int:consortium_id>/diagnosis/pairs/<int:a_id>/<int:b_id>/",
        views.pair,
        name="pair",
    ),
    path("consortia/<int:consortium_id>/diagnosis/settings/", views.settings_edit, name="settings"),
    path("consortia/<int:consortium_id>/diagnosis/refresh/", views.refresh, name="refresh"),
]
