"""Install the events section under the English home page (translated after migrate: events.install)."""

from django.db import migrations

from hub.migration_pages import add_section


def install_section(apps, schema_editor):
    add_section(
        apps.get_model("wagtailcore", "Page"),
        apps.get_model("contenttypes", "ContentType"),
        apps.get_model("home", "HomePage"),
        apps.get_model("events", "EventIndexPage"),
        slug="events",
        title="Events",  # install default, editors may rename it; events.install translates it
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_topic_related_name"),
        ("home", "0002_home_page"),
    ]

    operations = [migrations.RunPython(install_section, migrations.RunPython.noop)]
