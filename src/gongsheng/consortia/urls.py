from django.urls import path

from gongsheng.consortia import views

app_name = "consortia"

urlpatterns = [
    path("consortia/", views.consortium_list, name="list"),
    path("consortia/<int:consortium_id>/", views.consortium_overview, name="overview"),
    path("consortia/<int:consortium_id>/units/", views.unit_directory, name="units"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
]
