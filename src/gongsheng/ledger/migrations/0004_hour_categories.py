"""Two categories measured in hours, for bookings of shared resources: the area-year
categories (buildings and bases, equipment) do not measure a booked hour."""

from django.db import migrations

from gongsheng.ledger.choices import DEFAULT_CATEGORIES


def forwards(apps, schema_editor):
    Category = apps.get_model("ledger", "Category")
    for code, name, name_en, unit in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(
            consortium=None,
            code=code,
            defaults={"name": name, "name_en": name_en, "quantity_unit": unit},
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_summaries")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
