from django.urls import path

from gongsheng.ledger import views

app_name = "ledger"

urlpatterns = [
    path("consortia/<int:consortium_id>/ledger/", views.entry_list, name="list"),
    path("consortia/<int:consortium_id>/ledger/new/", views.entry_new, name="new"),
    path("consortia/<int:consortium_id>/ledger/summaries/", views.summaries, name="summaries"),
    path("consortia/<int:consortium_id>/ledger/rules/", views.rules, name="rules"),
    path("ledger/entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("ledger/entries/<int:entry_id>/reverse/", views.entry_reverse, name="reverse"),
    path("ledger/entries/<int:entry_id>/answer/", views.entry_answer, name="answer"),
]
