"""``manage.py registrations_erase <email>``: erase every registration of an address."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from registrations.privacy import erase_address


class Command(BaseCommand):
    help = "Delete every registration of an email address, and queued mail to it (a data subject's erasure request)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, email, yes=False, **options):
        try:
            validate_email(email.strip())
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        if not yes:
            answer = input(f"Erase every registration of {email}? This cannot be undone. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing erased.")
        count = erase_address(email)
        self.stdout.write(f"Erased {count} registration(s) of {email}.")
