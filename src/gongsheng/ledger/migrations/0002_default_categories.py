"""The platform-wide ledger categories, and 1:1 valuation of the categories counted in CNY.

Other categories get no platform-wide price: what an expert hour or a training place is worth is
each consortium's decision (its secretariat adds dated rules); until then posting such an entry
fails with a clear message.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

from gongsheng.ledger.choices import DEFAULT_CATEGORIES, MONEY_CATEGORIES


def forwards(apps, schema_editor):
    Category = apps.get_model("ledger", "Category")
    ValuationRule = apps.get_model("ledger", "ValuationRule")
    for code, name, name_en, unit in DEFAULT_CATEGORIES:
        category, _ = Category.objects.get_or_create(
            consortium=None,
            code=code,
            defaults={"name": name, "name_en": name_en, "quantity_unit": unit},
        )
        if code in MONEY_CATEGORIES:
            ValuationRule.objects.get_or_create(
                category=category,
                consortium=None,
                effective_from=dt.date(2000, 1, 1),
                defaults={"unit_value": Decimal("1"), "version": 1, "basis": "1 元 = 1 元"},
            )


def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
