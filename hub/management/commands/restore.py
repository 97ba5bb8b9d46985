"""Load an archive written by `manage.py backup` into an empty installation (hub.backup)."""

from django.core.management.base import BaseCommand, CommandError

from hub import backup


class Command(BaseCommand):
    help = "Restore the database and media from a backup archive into an empty installation, then migrate."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a hub-backup-*.tar.gz file")
        parser.add_argument("--force", action="store_true", help="replace an installation that already has content")

    def handle(self, *args, archive, force=False, **options):
        try:
            count = backup.restore(archive, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {archive}: the database and {count} media file(s)."))
