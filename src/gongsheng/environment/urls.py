from django.urls import path

from gongsheng.declare.declaration import declaration_for
from gongsheng.declare.views import urlpatterns as declared_urls
from gongsheng.environment import views
from gongsheng.environment.models import PublicPolicy

app_name = "environment"

urlpatterns = [
    # list, create, detail, edit, delete, withdraw
    *declared_urls(declaration_for(PublicPolicy)),
    path("consortia/<int:consortium_id>/incentives/", views.incentives, name="incentives"),
    path("policies/<int:policy_id>/comparison/", views.policy_comparison, name="comparison"),
]
