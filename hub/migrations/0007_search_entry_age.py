"""PostgreSQL: every search index entry carries a lexeme of its age, kept by a trigger (hub.search_backends.postgres).

The ranked search looks at the newest matches first; GIN indexes cannot return rows in id order,
so an entry's age is in its vectors instead, where the GIN indexes on ``title || body`` (0006) and
on ``autocomplete`` (Wagtail's) intersect it with the searched words before any row is read:
``'#age-N'`` for ids ``N * 1024`` to ``N * 1024 + 1023``. No word the text search parsers produce
starts with ``#``, so no search or prefix can match it. The trigger writes it for every writer
(Wagtail's indexer, ``update_index``, bulk loads), in the same row version: a stale one is
replaced first (the row an upsert proposes carries the id it would have had as a new row).
Existing entries get theirs here. SQLite and other engines: nothing to do.
"""

from django.db import migrations

FUNCTION = "hub_searchentry_age"
# Ids per age bucket: hub.search_backends.postgres.AGE_BUCKET.
BUCKET = 1024


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    aged = "ts_delete({column}, ARRAY(SELECT lexeme FROM unnest({column}) WHERE starts_with(lexeme, '#age-'))) || age"
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
        DECLARE
            age tsvector := quote_literal('#age-' || NEW.id / {BUCKET})::tsvector;
        BEGIN
            NEW.body := {aged.format(column="NEW.body")};
            NEW.autocomplete := {aged.format(column="NEW.autocomplete")};
            RETURN NEW;
        END
        $body$
        """
    )
    schema_editor.execute(
        f"CREATE TRIGGER {FUNCTION} BEFORE INSERT OR UPDATE OF body, autocomplete ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )
    # The trigger ages the existing entries as they are written.
    schema_editor.execute(f"UPDATE {table} SET body = body")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    aged = "ARRAY(SELECT lexeme FROM unnest({column}) WHERE starts_with(lexeme, '#age-'))"
    schema_editor.execute(
        f"UPDATE {table} SET body = ts_delete(body, {aged.format(column='body')}), "
        f"autocomplete = ts_delete(autocomplete, {aged.format(column='autocomplete')})"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0006_search_title_body_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
