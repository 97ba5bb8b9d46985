"""Compile gettext catalogues with polib, so no system gettext is needed."""

from pathlib import Path

import polib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogue_dirs():
    """The project's locale folders: LOCALE_PATHS plus each project app's own ``locale/``."""
    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    for app_config in apps.get_app_configs():
        app_path = Path(app_config.path).resolve()
        if app_path.is_relative_to(base) and ".venv" not in app_path.parts:
            dirs.append(app_path / "locale")
    return [path for path in dirs if path.is_dir()]


def compile_catalogues(force=False):
    """Write a .mo beside every .po that is newer than it; return the paths compiled."""
    compiled = []
    for directory in catalogue_dirs():
        for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            try:
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Could not compile {po_path}: {exc}") from exc
            compiled.append(po_path)
    return compiled


class Command(BaseCommand):
    help = "Compile every .po catalogue of the project into .mo files (pure Python, no gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Recompile even when up to date.")

    def handle(self, *args, force=False, **options):
        compiled = compile_catalogues(force=force)
        self.stdout.write(f"{len(compiled)} catalogue(s) compiled." if compiled else "Catalogues are up to date.")
