from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from gongsheng.access import views
from gongsheng.access.forms import PasswordChangeForm, PasswordResetSetForm

app_name = "access"

_reset = {"template_name": "access/password_reset.html",
          "email_template_name": "access/password_reset_email.txt",
          "subject_template_name": "access/password_reset_subject.txt",
          "success_url": reverse_lazy("access:password_reset_sent")}  # fmt: skip

urlpatterns = [
    path("consortia/<int:consortium_id>/people/", views.people_page, name="people"),
    path("people/<int:user_id>/", views.person_page, name="person"),
    path("people/<int:user_id>/roles/", views.person_grant, name="person_grant"),
    path("people/<int:user_id>/invite-again/", views.invite_again, name="invite_again"),
    path("people/<int:user_id>/deactivate/", views.person_active, {"move": "deactivate"},
         name="deactivate"),
    path("people/<int:user_id>/reactivate/", views.person_active, {"move": "reactivate"},
         name="reactivate"),
    path("roles/<int:assignment_id>/revoke/", views.role_revoke, name="role_revoke"),
    path("account/", views.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("account/password/", auth_views.PasswordChangeView.as_view(
        form_class=PasswordChangeForm, template_name="access/password_change.html",
        success_url=reverse_lazy("access:password_changed")), name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="access/password_done.html"), name="password_changed"),
    path("password/reset/", auth_views.PasswordResetView.as_view(**_reset),
         name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="access/password_reset_sent.html"), name="password_reset_sent"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        form_class=PasswordResetSetForm, template_name="access/password_reset_confirm.html",
        success_url=reverse_lazy("access:password_reset_done")), name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="access/password_done.html"), name="password_reset_done"),
    path("invitation/<uidb64>/<token>/", views.invitation, name="invitation"),
]  # fmt: skip
