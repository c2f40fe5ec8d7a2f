from django.urls import path

from gongsheng.metrics import views

app_name = "metrics"

urlpatterns = [
    path("metrics/", views.catalogue, name="catalogue"),
    path("consortia/<int:consortium_id>/metrics/", views.consortium_table, name="consortium"),
]
