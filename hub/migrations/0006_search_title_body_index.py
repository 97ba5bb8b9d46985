"""PostgreSQL: a GIN index on ``title || body`` of the search index entries (hub.search_backends.postgres).

Wagtail's database backend matches searches against the concatenation of the two vectors, and
its own migrations index each vector alone, so every search read every entry. SQLite and other
engines: nothing to do.
"""

from django.db import migrations

INDEX = "hub_searchentry_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ((title || body))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0005_periodic_job_state"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
