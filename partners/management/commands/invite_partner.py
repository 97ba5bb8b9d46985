"""Invite a person to keep a partner organisation's profile current."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hub.tasks import describe_outcome
from partners.invitations import invite_partner
from partners.models import PartnerPage


class Command(BaseCommand):
    help = "Create a partner account for EMAIL in the group of the partner profile SLUG and mail a set-password link."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="slug of the partner profile, as in /en/partners/<slug>/")
        parser.add_argument("email", help="address of the person to invite")

    def handle(self, *args, slug, email, **options):
        page = PartnerPage.objects.filter(
            slug=slug, locale__language_code=settings.LANGUAGE_CODE, alias_of__isnull=True
        ).first()
        if page is None:
            raise CommandError(f"No partner profile has the slug {slug!r}; see /en/partners/ for the slugs.")
        try:
            user = invite_partner(page, email)
        except ValidationError as error:
            raise CommandError(f"Cannot invite {email!r}: {' '.join(error.messages)}") from error
        outcome = describe_outcome(user.invitation)
        if outcome.startswith("failed"):
            raise CommandError(
                f"The account {user.get_username()} is ready, but the invitation to {user.email} {outcome}; "
                "run the command again to resend it."
            )
        if outcome == "sent":
            self.stdout.write(self.style.SUCCESS(f"Invitation sent to {user.email} for {page.title}."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Invitation to {user.email} for {page.title} {outcome}: the task worker sends it "
                    "(and retries if the mail server is unreachable)."
                )
            )
