"""The test run's URLs: the product's, plus the test-only example app's pages and API
(``tests.declare_example``, the model of docs/DEVELOPMENT.md "Adding a model")."""

from django.urls import include, path

from gongsheng.api import api
from tests.declare_example.api import router as example_router

api.add_router("/", example_router)  # before the product's urls read api.urls

from gongsheng.urls import (  # noqa: E402, F401
    handler400,
    handler403,
    handler404,
    handler500,
)
from gongsheng.urls import urlpatterns as product  # noqa: E402

urlpatterns = [*product, path("", include("tests.declare_example.urls"))]
