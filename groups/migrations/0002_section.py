"""Install the working groups section under the English home page (translated after migrate: groups.install)."""

from django.db import migrations

from hub.migration_pages import add_section


def install_section(apps, schema_editor):
    add_section(
        apps.get_model("wagtailcore", "Page"),
        apps.get_model("contenttypes", "ContentType"),
        apps.get_model("home", "HomePage"),
        apps.get_model("groups", "WorkingGroupIndexPage"),
        slug="working-groups",
        title="Working groups",  # install default, editors may rename it; groups.install translates it
    )


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("home", "0002_home_page"),
    ]

    operations = [migrations.RunPython(install_section, migrations.RunPython.noop)]
