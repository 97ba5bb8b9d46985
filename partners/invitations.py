"""Partner accounts: invitations that create the user and mail a link to set a password.

The mail is a task (``send_invitation``) whose arguments are ids and a language code: the
set-password link is a secret, so it is made inside the task, when the mail is written, and is
never stored in the task queue.
"""

from django_tasks import task

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

from hub.tasks import build_email, retrying

from .models import PartnerPage
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
    for an address that is not valid. Returns the user, whose ``invitation`` attribute is the
    TaskResult of the mail (sent, queued or failed: ``hub.tasks.describe_outcome``).
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
    # Queued in the same transaction: the database worker sees the task only if the account exists.
    user.invitation = send_invitation.enqueue(user.pk, partner_page.pk, language)
    return user


@task()
@retrying(attempts=5, on=(OSError,))  # SMTP unreachable or refusing: try again later
def send_invitation(user_id, partner_page_id, language=None):
    """Mail the invitation with a fresh set-password link (made here, never stored in the queue)."""
    user = get_user_model().objects.get(pk=user_id)
    partner_page = PartnerPage.objects.get(pk=partner_page_id)
    with translation.override(language or settings.LANGUAGE_CODE):
        message = build_email(
            to=[user.email],
            subject=str(_("Your Securing Smart Cities partner account")),
            body=_(
                "You have been invited to keep the profile of %(organisation)s up to date on the "
                "Securing Smart Cities hub.\n\nSet your password here (the link works once):\n%(url)s\n\n"
                "Your user name is %(username)s. Changes you make are reviewed by the board before they are published."
            )
            % {"organisation": partner_page.title, "url": password_set_url(user), "username": user.get_username()},
        )
    return message.send(fail_silently=False)
