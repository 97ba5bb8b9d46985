"""Install the subscription page under the English home page (translated after migrate: digests.install).

Out of the main menu: the footer of every page links to it, and topic pages link to it with their topics.
"""

from django.db import migrations

from hub.migration_pages import add_section


def install_page(apps, schema_editor):
    page = add_section(
        apps.get_model("wagtailcore", "Page"),
        apps.get_model("contenttypes", "ContentType"),
        apps.get_model("home", "HomePage"),
        apps.get_model("digests", "SubscribePage"),
        slug="subscribe",
        title="Topic digests",  # install default, editors may rename it; digests.install translates it
    )
    if page is not None:
        page.show_in_menus = False
        page.save(update_fields=["show_in_menus"])


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0001_initial"),
        ("home", "0002_home_page"),
    ]

    operations = [migrations.RunPython(install_page, migrations.RunPython.noop)]
