from django.urls import path

from gongsheng.cooperation import views
from gongsheng.cooperation.models import Project
from gongsheng.declare.declaration import declaration_for
from gongsheng.declare.views import urlpatterns as declared_urls

app_name = "cooperation"

urlpatterns = [
    # projects: list (projects), project_create, project (detail), project_edit, project_move
    *declared_urls(declaration_for(Project)),
    path("projects/<int:project_id>/<slug:part>/", views.project_part, name="project_part"),
    path("consortia/<int:consortium_id>/contracts/", views.contract_list, name="contracts"),
    path("consortia/<int:consortium_id>/contracts/new/", views.contract_create,
         name="contract_create"),
    path("contracts/<int:contract_id>/", views.contract_detail, name="contract"),
    path("contracts/<int:contract_id>/edit/", views.contract_edit, name="contract_edit"),
    path("consortia/<int:consortium_id>/ip/", views.ip_list, name="ip_assets"),
    path("consortia/<int:consortium_id>/ip/new/", views.ip_create, name="ip_create"),
    path("ip/<int:asset_id>/", views.ip_detail, name="ip_asset"),
    path("ip/<int:asset_id>/edit/", views.ip_edit, name="ip_edit"),
    path("ip/<int:asset_id>/record/<slug:what>/", views.ip_record, name="ip_record"),
    path("consortia/<int:consortium_id>/alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_ack, name="alert_ack"),
]  # fmt: skip
