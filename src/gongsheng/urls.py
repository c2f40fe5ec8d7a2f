from django.contrib.auth import views as auth_views
from django.urls import include, path

from gongsheng.api import api
from gongsheng.core import registry
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
] + [
    # every app's pages, from the app registry (``GongshengAppConfig.urls``), web last
    path(prefix, include(module))
    for prefix, module in registry.url_modules()
]

# error pages in the base layout and the user's language (gongsheng.web.errors)
handler400 = "gongsheng.web.errors.bad_request"
handler403 = "gongsheng.web.errors.forbidden"
handler404 = "gongsheng.web.errors.not_found"
handler500 = "gongsheng.web.errors.server_error"
