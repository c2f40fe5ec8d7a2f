from django.urls import path

from gongsheng.consortia import views
from gongsheng.consortia.models import Unit
from gongsheng.declare.declaration import declaration_for
from gongsheng.declare.views import urlpatterns as declared

app_name = "consortia"

urlpatterns = [
    path("consortia/", views.consortium_list, name="list"),
    path("consortia/<int:consortium_id>/", views.consortium_overview, name="overview"),
    # units, unit, unit_edit, unit_create: /consortia/<id>/units/, /units/<id>/, …
    *declared(declaration_for(Unit)),
]
