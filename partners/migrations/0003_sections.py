"""Install the partners, contributors and join sections under the English home page.

Their translations, groups and the Board review workflow are applied after migrate (partners.install).
"""

from django.db import migrations

from hub.migration_pages import add_section

# Install defaults (editors may rename them); partners.install translates the same English titles.
SECTIONS = [
    ("PartnerIndexPage", "partners", "Partners"),
    ("ContributorsPage", "contributors", "Contributors"),
    ("JoinPage", "join", "Join"),
]


def install_sections(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    HomePage = apps.get_model("home", "HomePage")
    for model_name, slug, title in SECTIONS:
        add_section(Page, ContentType, HomePage, apps.get_model("partners", model_name), slug=slug, title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_person_links_topics_contributors_join_applications"),
        ("home", "0002_home_page"),
    ]

    operations = [migrations.RunPython(install_sections, migrations.RunPython.noop)]
