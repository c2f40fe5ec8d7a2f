from django.urls import path

from gongsheng.cooperation import views
from gongsheng.cooperation.models import Contract, IPAsset, Project
from gongsheng.declare.declaration import declaration_for
from gongsheng.declare.views import urlpatterns as declared_urls

app_name = "cooperation"

urlpatterns = [
    # projects: list (projects), project_create, project (detail), project_edit, project_move
    *declared_urls(declaration_for(Project)),
    path("projects/<int:project_id>/<slug:part>/", views.project_part, name="project_part"),
    # contracts, contract, contract_create, contract_edit (cooperation.declarations)
    *declared_urls(declaration_for(Contract)),
    # ip_assets, ip_asset, ip_create, ip_edit (cooperation.declarations)
    *declared_urls(declaration_for(IPAsset)),
    path("ip/<int:asset_id>/record/<slug:what>/", views.ip_record, name="ip_record"),
    path("consortia/<int:consortium_id>/alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_ack, name="alert_ack"),
]  # fmt: skip
