"""Capacity is exact under concurrency: parallel registration requests on PostgreSQL.

Each request runs in its own thread with its own database connection and commits for real, as
under gunicorn; the seats are counted under a row lock. SQLite serialises writers anyway and
ignores SELECT ... FOR UPDATE, so this runs where it means something: with DATABASE_URL on
PostgreSQL (CI runs the fast tier there too).
"""

import threading
import time

import pytest

from django.core import mail
from django.db import connection, connections
from django.test import Client

from registrations import seats
from registrations.choices import RegistrationStatus
from registrations.forms import RegistrationForm
from registrations.models import Registration
from tests.factories import RegistrationSettingsFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def post_in_parallel(path, addresses):
    """POST one registration per address, all released at the same moment; their status codes."""
    barrier = threading.Barrier(len(addresses))
    codes = {}

    def post(address):
        client = Client()
        data = {
            "name": f"Person {address}",
            "email": address,
            "consent": "on",
            "homepage": "",
            "started": RegistrationForm.sign_started(time.time() - 60),
        }
        try:
            barrier.wait(timeout=30)
            codes[address] = client.post(path, data).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(address,)) for address in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


def test_parallel_registrations_get_exactly_the_places_there_are(make_event):
    """One test (one transactional test per process: see the note at the end of the module)."""
    event = make_event(slug="tiny")
    RegistrationSettingsFactory(page=event, capacity=2, waiting_list=True)
    addresses = [f"p{number}@example.org" for number in range(5)]
    codes = post_in_parallel("/en/events/tiny/register/", addresses)
    assert codes == dict.fromkeys(addresses, 200)
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting", "waiting"]
    assert len(mail.outbox) == 5

    # A cancellation promotes the first person on the waiting list, who is told by mail.
    first_waiting = Registration.objects.filter(event=event).waiting_in_order().first()
    leaving = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).first()
    mail.outbox.clear()
    seats.cancel(leaving)
    first_waiting.refresh_from_db()
    assert first_waiting.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([leaving.email, first_waiting.email])

    # The same address sent twice at the same moment is one registration.
    other = make_event(slug="twice")
    RegistrationSettingsFactory(page=other, capacity=10)
    codes = post_in_parallel("/en/events/twice/register/", ["same@example.org", "SAME@example.org"])
    assert set(codes.values()) == {200}
    assert Registration.objects.filter(event=other).count() == 1


# Note: one test, not several. Restoring migrate's data for a second transactional test in the same
# process fails here (Django's serialized rollback saves LocaleSynchronization rows, and
# wagtail-localize's post_save receiver reads a relation that is not loaded yet: KeyError 'sync_from').
