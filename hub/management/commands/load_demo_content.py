"""Load the demo content of every app, idempotently."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from wagtail.models import Page

from hub.demo import synchronise_locales, translate_topic_labels
from hub.locales import ensure_locales


class Command(BaseCommand):
    help = "Create the demo site: pages, people, partners, articles, events and their translations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has content beyond what migrate installs (used by `make run`).",
        )

    def handle(self, *args, if_empty=False, **options):
        # migrate installs the home page and the sections; content is anything below them.
        if if_empty and Page.objects.filter(depth__gt=3).exists():
            self.stdout.write("The database already has content; demo content not loaded.")
            return
        ensure_locales()
        created = 0
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if app_config.name == "hub" or find_spec(module_name) is None:
                    continue
                count = import_module(module_name).load(self.stdout)
                if count:
                    self.stdout.write(f"{app_config.verbose_name}: {count} object(s) created or translated.")
                created += count
            created += translate_topic_labels()
            synchronise_locales()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {created} object(s) created or translated."))
        else:
            self.stdout.write("Demo content is already present; nothing changed.")
