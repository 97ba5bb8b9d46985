"""Sending a registration mail in the task worker."""

import base64

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


@task()
def send_registration_mail(subject, text, html, to, attachments):
    """Send one mail with an HTML alternative and base64-encoded attachments (plain values only)."""
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, base64.b64decode(content), mimetype)
    message.send()
