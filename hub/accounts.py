"""Admin users are shown by name, never by email address.

Wagtail shows a user as their full name, or their user name when they have none; partner
accounts are created by invitation with their email address as user name, so their address
would appear wherever the admin names them (page owners, history, workflow, filters). Every
account therefore gets a name: the one given, or one derived from the user name ("ada.lovelace@
example.org" becomes "Ada Lovelace"), which the user can change in their account settings.
"""

import re

from django.contrib.auth import get_user_model


def name_from_username(username):
    """A readable name from a user name or address: its local part, split at dots, dashes and underscores."""
    local = str(username).split("@", 1)[0]
    words = [word for word in re.split(r"[._+\-\s]+", local) if word]
    return " ".join(word.capitalize() for word in words)[:150] or "User"


def give_display_name(sender, instance, **kwargs):
    """``pre_save`` receiver: an account without first and last name gets one from its user name."""
    if not (instance.first_name.strip() or instance.last_name.strip()):
        instance.first_name = name_from_username(instance.get_username())


def name_existing_accounts(**kwargs):
    """``post_migrate`` receiver: give every existing account without a name one (idempotent)."""
    user_model = get_user_model()
    for user in user_model.objects.filter(first_name="", last_name=""):
        user.save(update_fields=["first_name"])
