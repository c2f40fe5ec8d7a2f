from django.apps import AppConfig


class ExampleConfig(AppConfig):
    """A test-only app: the plain model of docs/DEVELOPMENT.md "Adding a model", declared."""

    name = "tests.declare_example"
    label = "declare_example"

    def ready(self) -> None:
        from tests.declare_example import rules  # noqa: F401  (registers the policy)
