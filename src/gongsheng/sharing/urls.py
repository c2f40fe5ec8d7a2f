from django.urls import path

from gongsheng.declare.declaration import declaration_for
from gongsheng.declare.views import urlpatterns as declared_urls
from gongsheng.sharing import views
from gongsheng.sharing.models import Quota, SharedResource

app_name = "sharing"

urlpatterns = [
    path("consortia/<int:consortium_id>/utilisation/", views.utilisation, name="utilisation"),
    path("consortia/<int:consortium_id>/bookings/queue/", views.queue, name="queue"),
    path("consortia/<int:consortium_id>/bookings/mine/", views.mine, name="mine"),
    # resources: the catalogue ("catalogue"), new and edit ("resource_create", "…_edit");
    # the resource's page with its calendar is the app's own ("resource")
    *declared_urls(declaration_for(SharedResource)),
    # quotas: list with the add form ("quotas"), detail, edit, delete ("quota_…")
    *declared_urls(declaration_for(Quota)),
    path("resources/<int:resource_id>/", views.resource_detail, name="resource"),
    path("resources/<int:resource_id>/book/", views.book, name="book"),
    path("bookings/<int:booking_id>/decide/", views.decide, name="decide"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
]
