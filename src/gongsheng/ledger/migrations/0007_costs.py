"""Two amounts per flow: the value to the receiver and the cost to the giver (MODELS.md,
"The ledger and what the diagnosis reads from it").

Every entry written before this rule costs its giver exactly its value (no category had a cost
rule), so every summary reads as before: the column is filled with ``value`` in one UPDATE
before it becomes NOT NULL."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_confirmations")]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="cost",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=16,
                null=True,
                verbose_name="cost to the giver (CNY)",
            ),
        ),
        migrations.RunSQL(
            "UPDATE ledger_ledgerentry SET cost = value",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="cost",
            field=models.DecimalField(
                decimal_places=2, max_digits=16, verbose_name="cost to the giver (CNY)"
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="value_stated",
            field=models.BooleanField(default=False, verbose_name="value stated by hand"),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="cost_stated",
            field=models.BooleanField(default=False, verbose_name="cost stated by hand"),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="stated_reason",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="reason for the stated amounts"
            ),
        ),
        migrations.AddField(
            model_name="valuationrule",
            name="cost_unit_value",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                help_text="what giving one unit costs the giver; empty: see the cost share",
                max_digits=14,
                null=True,
                verbose_name="cost per unit (CNY)",
            ),
        ),
        migrations.AddField(
            model_name="valuationrule",
            name="cost_share",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                help_text="e.g. 0.3 for 30 %; empty with no cost per unit: cost = value",
                max_digits=7,
                null=True,
                verbose_name="cost as a share of the value",
            ),
        ),
        migrations.AddField(
            model_name="valuationrule",
            name="is_default",
            field=models.BooleanField(default=False, verbose_name="default to review"),
        ),
        migrations.AddConstraint(
            model_name="valuationrule",
            constraint=models.CheckConstraint(
                condition=Q(cost_unit_value__isnull=True) | Q(cost_share__isnull=True),
                name="ledger_rule_one_cost_rule",
            ),
        ),
        migrations.AddConstraint(
            model_name="valuationrule",
            constraint=models.CheckConstraint(
                condition=(Q(cost_unit_value__isnull=True) | Q(cost_unit_value__gte=Decimal(0)))
                & (Q(cost_share__isnull=True) | Q(cost_share__gte=Decimal(0))),
                name="ledger_rule_cost_nonnegative",
            ),
        ),
    ]
