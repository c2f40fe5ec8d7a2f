from django.urls import path

from gongsheng.sharing import views

app_name = "sharing"

urlpatterns = [
    path("consortia/<int:consortium_id>/resources/", views.catalogue, name="catalogue"),
    path("consortia/<int:consortium_id>/utilisation/", views.utilisation, name="utilisation"),
    path("consortia/<int:consortium_id>/bookings/queue/", views.queue, name="queue"),
    path("consortia/<int:consortium_id>/bookings/mine/", views.mine, name="mine"),
    path("consortia/<int:consortium_id>/resources/new/", views.resource_create,
         name="resource_create"),
    path("consortia/<int:consortium_id>/quotas/", views.quotas, name="quotas"),
    path("quotas/<int:quota_id>/delete/", views.quota_delete, name="quota_delete"),
    path("resources/<int:resource_id>/", views.resource_detail, name="resource"),
    path("resources/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:resource_id>/book/", views.book, name="book"),
    path("bookings/<int:booking_id>/decide/", views.decide, name="decide"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
]  # fmt: skip
