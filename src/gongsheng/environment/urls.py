from django.urls import path

from gongsheng.environment import views

app_name = "environment"

urlpatterns = [
    path("consortia/<int:consortium_id>/policies/", views.policy_list, name="list"),
    path("consortia/<int:consortium_id>/policies/new/", views.policy_create, name="create"),
    path("consortia/<int:consortium_id>/incentives/", views.incentives, name="incentives"),
    path("policies/<int:policy_id>/", views.policy_detail, name="detail"),
    path("policies/<int:policy_id>/edit/", views.policy_edit, name="edit"),
    path("policies/<int:policy_id>/withdraw/", views.policy_withdraw, name="withdraw"),
    path("policies/<int:policy_id>/delete/", views.policy_delete, name="delete"),
    path("policies/<int:policy_id>/evidence/", views.policy_evidence, name="evidence"),
    path("policies/<int:policy_id>/comparison/", views.policy_comparison, name="comparison"),
]
