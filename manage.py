#!/usr/bin/env python
"""Django's command-line utility for the Securing Smart Cities hub."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # Misconfiguration (a missing secret in production, say) is an operator error:
        # one sentence, no traceback.
        sys.exit(f"Configuration error: {exc}")


if __name__ == "__main__":
    main()
