"""The sharing app's declared models, one module per model (registered on import):
resources (``resources``), booking quotas (``quotas``) and bookings (``bookings``)."""

from importlib import import_module
from pkgutil import iter_modules

for _module in iter_modules(__path__):
    import_module(f"{__name__}.{_module.name}")
