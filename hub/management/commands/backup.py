"""Write the database and the media into one timestamped archive (hub.backup)."""

from django.core.management.base import BaseCommand, CommandError

from hub import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format, or SQLite's backup API) and every media file into one archive."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="folder for the archive (default: HUB_BACKUP_DIR, else backups/)")
        parser.add_argument("--keep", type=int, default=0, help="then delete all but the newest N archives there")

    def handle(self, *args, output_dir=None, keep=0, **options):
        folder = output_dir or backup.default_output_dir()
        try:
            path = backup.backup(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
        for old in backup.prune(folder, keep) if keep else []:
            self.stdout.write(f"Deleted old backup {old}")
