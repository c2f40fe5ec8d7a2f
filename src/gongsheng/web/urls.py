from django.urls import path

from gongsheng.web import analyze, transfer_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit, name="audit"),
    path("consortia/<int:consortium_id>/import/", transfer_views.import_page, name="import"),
    path("api-docs/", views.api_docs_link, name="api_docs_link"),
    path("analyze/", analyze.analyze_page, name="analyze"),
]
