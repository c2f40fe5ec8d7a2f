from django.urls import path

from gongsheng.consortia import views
from gongsheng.consortia.models import Consortium, Membership, Unit
from gongsheng.declare.declaration import declaration_for
from gongsheng.declare.views import create_view, edit_view, page
from gongsheng.declare.views import urlpatterns as declared

app_name = "consortia"

urlpatterns = [
    path("consortia/", views.consortium_list, name="list"),
    path("consortia/new/", page(create_view, declaration_for(Consortium)), name="create"),
    path("consortia/<int:consortium_id>/", views.consortium_overview, name="overview"),
    path("consortia/<int:pk>/edit/", page(edit_view, declaration_for(Consortium)), name="edit"),
    # units, unit, unit_edit, unit_create: /consortia/<id>/units/, /units/<id>/, …
    *declared(declaration_for(Unit)),
    # memberships (the queue: ?status=applied), membership_detail, membership_admit, …
    *declared(declaration_for(Membership)),
]
