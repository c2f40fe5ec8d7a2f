from django.contrib.auth import views as auth_views
from django.urls import include, path

from gongsheng.api import api
from gongsheng.web.forms import LoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("gongsheng.consortia.urls")),
    path("", include("gongsheng.ledger.urls")),
    path("", include("gongsheng.cooperation.urls")),
    path("", include("gongsheng.sharing.urls")),
    path("", include("gongsheng.diagnosis.urls")),
    path("", include("gongsheng.environment.urls")),
    path("", include("gongsheng.distribution.urls")),
    path("", include("gongsheng.modelling.urls")),
    path("", include("gongsheng.jobs.urls")),
    path("", include("gongsheng.web.urls")),
]
