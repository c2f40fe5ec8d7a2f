from django.urls import path

from gongsheng.jobs import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.job_list, name="list"),
    path("jobs/<int:job_id>/", views.job_detail, name="detail"),
    path("jobs/<int:job_id>/files/<str:name>", views.job_file, name="file"),
    path("jobs/<int:job_id>/retry/", views.job_retry, name="retry"),
]
