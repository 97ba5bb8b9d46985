"""Partner accounts: invitations that create the user and mail a link to set a password."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from hub.tasks import send_email

from .permissions import setup_partner_access


def password_set_url(user):
    """Absolute address of the admin's set-password page for ``user`` (valid until the password changes)."""
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@transaction.atomic
def invite_partner(partner_page, email, language=None):
    """Create (or reuse) the account for ``email``, put it in the partner's group, and mail the invitation.

    New accounts get no usable password: the mailed link is the only way in. Raises ValidationError
    for an address that is not valid. Returns the user.
    """
    email = (email or "").strip()
    validate_email(email)
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        username = email.lower()[: user_model._meta.get_field(user_model.USERNAME_FIELD).max_length]
        if user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).exists():
            raise ValidationError(_("An account with this user name already exists."))
        user = user_model(**{user_model.USERNAME_FIELD: username}, email=email)
        user.set_unusable_password()
        user.save()
    if user.is_superuser:
        raise ValidationError(_("This address belongs to an administrator; choose another one."))
    group = setup_partner_access(partner_page)
    user.groups.add(group)
    with translation.override(language or settings.LANGUAGE_CODE):
        send_email.enqueue(
            subject=str(_("Your Securing Smart Cities partner account")),
            message=_(
                "You have been invited to keep the profile of %(organisation)s up to date on the "
                "Securing Smart Cities hub.\n\nSet your password here (the link works once):\n%(url)s\n\n"
                "Your user name is %(username)s. Changes you make are reviewed by the board before they are published."
            )
            % {"organisation": partner_page.title, "url": password_set_url(user), "username": user.get_username()},
            recipient_list=[email],
        )
    return user
