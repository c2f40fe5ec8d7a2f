"""One entry per chain position, and on PostgreSQL a trigger that refuses UPDATE and DELETE on
the audit table (decision 0803). The only ways past it: ``audit_prune()`` (it sets
``gongsheng.audit_prune`` for its transaction), and clearing ``actor_id`` alone when a user is
removed (``on_delete=SET_NULL``; ``actor_name`` keeps the name and is what the hash covers).
No-op on SQLite, where ``gongsheng audit verify`` finds the change instead."""

from django.db import migrations, models

GUARD = """
CREATE OR REPLACE FUNCTION gongsheng_audit_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('gongsheng.audit_prune', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit entry %: audit entries are removed only by audit_prune()', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entry %: audit entries are never edited', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_auditentry_guard
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION gongsheng_audit_guard();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS audit_auditentry_guard ON audit_auditentry;
DROP FUNCTION IF EXISTS gongsheng_audit_guard();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_existing_entries")]

    operations = [
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("chain", "seq"), name="audit_chain_seq_unique"
            ),
        ),
        migrations.RunPython(_on_postgresql(GUARD), _on_postgresql(UNGUARD)),
    ]
