from django.urls import path

from gongsheng.modelling import views

app_name = "modelling"

urlpatterns = [
    path("consortia/<int:consortium_id>/modelling/dynamics/", views.dynamics, name="dynamics"),
    path("consortia/<int:consortium_id>/modelling/game/", views.game, name="game"),
    path("consortia/<int:consortium_id>/modelling/scenarios/", views.scenarios, name="scenarios"),
    path("consortia/<int:consortium_id>/modelling/scenarios/save/", views.scenario_save,
         name="scenario_save"),
    path("consortia/<int:consortium_id>/modelling/scenarios/compare/", views.scenario_compare,
         name="compare"),
    path("modelling/scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario"),
]  # fmt: skip
