"""Create a development superuser with a random password, printed once."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hub.site_address import public_url


class Command(BaseCommand):
    help = "Create the development superuser 'admin' with a random password (development settings only)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username="admin", **options):
        if not settings.DEBUG:
            raise CommandError("create_dev_superuser only runs with development settings (DEBUG on).")
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(
                f"Superuser '{username}' already exists; its password was printed when it was created. "
                f"Reset it with: .venv/bin/python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email=f"{username}@example.org", password=password)
        self.stdout.write(self.style.SUCCESS(f"Development superuser created. Sign in at {public_url()}/admin/ with"))
        self.stdout.write(f"    username: {username}\n    password: {password}")
        self.stdout.write("This password is shown only once.")
