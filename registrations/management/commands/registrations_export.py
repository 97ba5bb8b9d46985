"""``manage.py registrations_export <email>``: everything stored about an address, as JSON."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from registrations.privacy import export_address


class Command(BaseCommand):
    help = "Print every registration of an email address as JSON (for a data subject's access request)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, email, **options):
        try:
            validate_email(email.strip())
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        self.stdout.write(json.dumps(export_address(email), ensure_ascii=False, indent=2))
