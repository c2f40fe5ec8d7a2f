from django.urls import path

from gongsheng.cooperation import views
from gongsheng.cooperation.models import Contract, IPAsset
from gongsheng.declare.declaration import declaration_for
from gongsheng.declare.views import urlpatterns as declared_urls

app_name = "cooperation"

urlpatterns = [
    path("consortia/<int:consortium_id>/projects/", views.project_list, name="projects"),
    path("consortia/<int:consortium_id>/projects/new/", views.project_create,
         name="project_create"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:project_id>/move/", views.project_move, name="project_move"),
    path("projects/<int:project_id>/<slug:part>/", views.project_part, name="project_part"),
    # contracts, contract, contract_create, contract_edit (cooperation.declarations)
    *declared_urls(declaration_for(Contract)),
    # ip_assets, ip_asset, ip_create, ip_edit (cooperation.declarations)
    *declared_urls(declaration_for(IPAsset)),
    path("ip/<int:asset_id>/record/<slug:what>/", views.ip_record, name="ip_record"),
    path("consortia/<int:consortium_id>/alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_ack, name="alert_ack"),
]  # fmt: skip
