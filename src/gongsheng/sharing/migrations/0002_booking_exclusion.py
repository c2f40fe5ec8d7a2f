"""On PostgreSQL: approved bookings that take a whole single-capacity resource may not overlap.

The services already lock the resource row before checking conflicts (decision 0501); this
constraint is the database's own guarantee. It needs the ``btree_gist`` extension; where the
migration's role may not create it (not a superuser and not pre-installed), the constraint is
skipped with a notice and the lock alone keeps bookings apart. SQLite gets no constraint.
"""

from django.db import migrations

CONSTRAINT = "sharing_booking_no_overlap"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            cursor.execute("SAVEPOINT sharing_gist")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
            cursor.execute("RELEASE SAVEPOINT sharing_gist")
        except Exception as exc:  # noqa: BLE001 - insufficient privilege
            cursor.execute("ROLLBACK TO SAVEPOINT sharing_gist")
            print(f"\n  sharing: btree_gist unavailable ({exc}); relying on row locks only")
            return
        cursor.execute(
            f"ALTER TABLE sharing_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
            "(resource_id WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
            "WHERE (status = 'approved' AND exclusive)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE sharing_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
