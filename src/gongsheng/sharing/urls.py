from django.urls import path

from gongsheng.declare.declaration import declaration_for
from gongsheng.declare.views import urlpatterns as declared_urls
from gongsheng.sharing import views
from gongsheng.sharing.models import Quota

app_name = "sharing"

urlpatterns = [
    path("consortia/<int:consortium_id>/resources/", views.catalogue, name="catalogue"),
    path("consortia/<int:consortium_id>/utilisation/", views.utilisation, name="utilisation"),
    path("consortia/<int:consortium_id>/bookings/queue/", views.queue, name="queue"),
    path("consortia/<int:consortium_id>/bookings/mine/", views.mine, name="mine"),
    path("consortia/<int:consortium_id>/resources/new/", views.resource_create,
         name="resource_create"),
    # quotas: list with the add form ("quotas"), detail, edit, delete ("quota_…")
    *declared_urls(declaration_for(Quota)),
    path("resources/<int:resource_id>/", views.resource_detail, name="resource"),
    path("resources/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:resource_id>/book/", views.book, name="book"),
    path("bookings/<int:booking_id>/decide/", views.decide, name="decide"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
]  # fmt: skip
