"""The public forms that store something share one spam defence (``hub.forms.SpamTrapForm``).

Joining and event registration are checked by the same tests: a filled honeypot stores nothing
and gets a neutral answer; a form sent back too fast (or with its timestamp missing or forged) is
never a silent fake success: it is shown again with what was typed, a clear request to check it and
a fresh timestamp, and sending it again a few seconds later stores it.
"""

import time
from dataclasses import dataclass

import pytest

from django.core import mail, signing

from digests.forms import SubscribeForm
from hub.forms import HoneypotMixin, SpamTrapForm
from partners.join import JoinForm
from partners.models import MembershipApplication
from registrations.forms import RegistrationForm
from registrations.models import Registration
from tests.factories import RegistrationSettingsFactory
from tests.helpers import local
from tests.html import soup

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    """One public form: where it is, what a person types, where its submissions are stored."""

    form: type
    url: str
    data: dict
    model: type
    typed: tuple  # (field, value) a person typed, to find again when the form is shown back
    neutral_status: int  # the answer to a honeypot hit, the same as to a real submission
    confirm_status: int
    confirm_text: str
    stored_status: int


CASES = {
    "join": Case(
        form=JoinForm,
        url="/en/join/",
        data={
            "organisation": "Gotham Transit",
            "partner_type": "city",
            "country": "FR",
            "website": "https://gotham.example",
            "contact_name": "Ada Applicant",
            "email": "ada@gotham.example",
            "role": "CISO",
            "message": "We run the city's trams and want to share our threat model.",
            "consent": "on",
        },
        model=MembershipApplication,
        typed=("organisation", "Gotham Transit"),
        neutral_status=302,
        confirm_status=200,
        confirm_text="send it again",
        stored_status=302,
    ),
    "registration": Case(
        form=RegistrationForm,
        url="/en/events/workshop/register/",
        data={"name": "Ada Lovelace", "email": "ada@example.org", "organisation": "Analytical Engines", "consent": "on"},
        model=Registration,
        typed=("name", "Ada Lovelace"),
        neutral_status=200,
        confirm_status=400,
        confirm_text="send the form again",
        stored_status=200,
    ),
}


@pytest.fixture(params=list(CASES))
def case(request):
    """Each public form with its page in place."""
    if request.param == "join":
        request.getfixturevalue("partners_section")
    else:
        event = request.getfixturevalue("make_event")(
            title="Smart lighting workshop",
            slug="workshop",
            start=local("Europe/Madrid", 2031, 1, 15, 10, 0),
            end=local("Europe/Madrid", 2031, 1, 15, 12, 0),
        )
        RegistrationSettingsFactory(page=event, capacity=2)
    return CASES[request.param]


def submission(case, **changes):
    data = {**case.data, "homepage": "", "started": case.form.sign_started(time.time() - 60)}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_both_forms_use_the_one_shared_mechanism():
    for case in CASES.values():
        assert issubclass(case.form, SpamTrapForm)
        below = case.form.__mro__[: case.form.__mro__.index(SpamTrapForm)]
        for name in ("is_honeypot_hit", "needs_confirmation", "restarted", "sign_started", "min_seconds"):
            assert not [cls for cls in below if name in vars(cls)], f"{case.form.__name__} has its own {name}"
    # The subscription form has only the honeypot (nothing is stored before the mailed link), the same one.
    assert SubscribeForm.is_honeypot_hit is HoneypotMixin.is_honeypot_hit


def test_a_honeypot_hit_stores_nothing_and_gets_the_neutral_answer(client, case):
    response = client.post(case.url, submission(case, homepage="http://spam.example"))
    assert response.status_code == case.neutral_status
    assert not case.model.objects.exists() and not mail.outbox


@pytest.mark.parametrize("timing", ["too fast", "forged", "missing"])
def test_a_fast_or_undated_form_is_shown_again_to_confirm_never_a_fake_success(client, case, timing, monkeypatch):
    started = {"too fast": case.form.sign_started(time.time() - 1), "forged": "forged", "missing": None}[timing]
    response = client.post(case.url, submission(case, started=started))
    assert response.status_code == case.confirm_status
    assert not case.model.objects.exists() and not mail.outbox
    html = soup(response)
    (notice,) = html.select("[role=alert]")
    assert case.confirm_text in notice.get_text()
    assert "Thank you" not in html.get_text()
    field, value = case.typed
    assert html.select_one(f"[name={field}]")["value"] == value  # nothing to type again
    fresh = html.select_one("[name=started]")["value"]
    assert signing.loads(fresh, salt=case.form.spam_salt)
    # Sent again a few seconds later (a person reading the message), it is stored.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 5)
    response = client.post(case.url, submission(case, started=fresh))
    assert response.status_code == case.stored_status
    assert case.model.objects.count() == 1
