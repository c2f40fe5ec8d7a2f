from django.urls import path

from gongsheng.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/<int:notification_id>/read/", views.read, name="read"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("consortia/<int:consortium_id>/chat-groups/", views.channels, name="channels"),
    path("consortia/<int:consortium_id>/chat-groups/new/", views.channel_create,
         name="channel_create"),
    path("chat-groups/<int:channel_id>/edit/", views.channel_edit, name="channel_edit"),
    path("chat-groups/<int:channel_id>/delete/", views.channel_delete, name="channel_delete"),
    path("consortia/<int:consortium_id>/deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/", views.deliveries, name="all_deliveries"),
]  # fmt: skip
