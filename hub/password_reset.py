"""Admin password reset: rate limited, and the mail written and sent by the task worker.

Wagtail's password reset (Django's) looks the address up and sends the mail inside the request:
a known address takes longer to answer than an unknown one, and nothing limits how many resets
one address or one visitor can ask for. Here the request does the same work whatever the
address — check the form, count the request against two limits (per client address and per
account address, ``hub.ratelimit`` scopes ``password-reset`` and ``password-reset-account``),
queue one task — and answers the same; the task (``send_password_reset``) finds the account
and mails the link, which is made there and never stored in the queue.
"""

from urllib.parse import urlsplit

from django_tasks import task

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.admin.views.account import PasswordResetView

from hub import ratelimit
from hub.tasks import retrying

TOO_MANY = _(
    "Too many password reset requests for this address or from your network. Please wait an hour, then try again."
)


@task()
@retrying(attempts=5, on=(OSError,))  # SMTP unreachable or refusing: try again later
def send_password_reset(email, language=None):
    """Mail a reset link to every active account with this address and a usable password (if any)."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    with translation.override(language or settings.LANGUAGE_CODE):
        form.save(
            domain_override=address.netloc,
            use_https=address.scheme == "https",
            subject_template_name=QueuedPasswordResetView.subject_template_name,
            email_template_name=QueuedPasswordResetView.email_template_name,
        )
    return 1


class QueuedPasswordResetView(PasswordResetView):
    """Wagtail's password reset form, answering the same for every address and mailing from the worker."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        # Both limits are counted on every request, so the work never depends on the answer.
        per_client = ratelimit.hit("password-reset", ratelimit.client_address(self.request))
        per_account = ratelimit.hit("password-reset-account", email.strip().lower())
        if not (per_client and per_account):
            retry_after = max(ratelimit.limit_for(scope)[1] for scope in ("password-reset", "password-reset-account"))
            return ratelimit.too_many_requests(self.request, retry_after, message=TOO_MANY)
        send_password_reset.enqueue(email, translation.get_language())
        return HttpResponseRedirect(self.get_success_url())
