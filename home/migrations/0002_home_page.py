"""Install the English home page as the default Site's root, in place of Wagtail's "Welcome" page.

Its translations, and the Site's public address, are applied after migrate (see hub.install).
"""

from django.db import migrations

from hub.migration_pages import add_child_page, default_language_home

# Install defaults, which editors change in the admin; home.install translates them.
TITLE = "Home"
HERO_HEADING = "Securing Smart Cities"


def install_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("home", "HomePage")
    root = Page.objects.filter(depth=1).first()
    if root is None or default_language_home(HomePage) is not None:
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="home", model="homepage")
    home = add_child_page(Page, root, HomePage(title=TITLE, slug="home", hero_heading=HERO_HEADING), content_type)
    # Wagtail's placeholder page (wagtailcore.0002), unless someone has built on it.
    welcome = Page.objects.filter(
        depth=2, numchild=0, content_type__app_label="wagtailcore", content_type__model="page"
    ).exclude(pk=home.pk)
    Site.objects.filter(root_page__in=welcome).update(root_page=home)
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    Site.objects.filter(is_default_site=True, site_name="").update(site_name="Securing Smart Cities")
    welcome.delete()
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2, path__startswith=root.path).count())


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(install_home_page, migrations.RunPython.noop)]
