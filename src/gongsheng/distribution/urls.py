from django.urls import path

from gongsheng.distribution import views

app_name = "distribution"

urlpatterns = [
    path("consortia/<int:consortium_id>/distribution/", views.study_list, name="studies"),
    path("consortia/<int:consortium_id>/distribution/new/", views.study_create,
         name="study_create"),
    path("distribution/<int:study_id>/", views.study_detail, name="study"),
    path("distribution/<int:study_id>/values/", views.values_form, name="values"),
    path("distribution/<int:study_id>/<slug:what>/", views.study_action, name="action"),
]  # fmt: skip
