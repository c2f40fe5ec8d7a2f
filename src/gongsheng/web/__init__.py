"""Pages: base templates, navigation, dashboard, vendored static files."""
