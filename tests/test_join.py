"""Joining: the application form, its spam defences, the board's decision, retention."""

import io
import time
from datetime import timedelta

import pytest

from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from wagtail.models import GroupPagePermission

from partners.choices import ApplicationStatus
from partners.join import JoinForm
from partners.models import MembershipApplication, PartnerPage
from tests.factories import MembershipApplicationFactory
from tests.helpers import make_user
from tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def valid_data(**changes):
    data = {
        "organisation": "Gotham Transit",
        "partner_type": "city",
        "country": "FR",
        "website": "https://gotham.example",
        "contact_name": "Ada Applicant",
        "email": "ada@gotham.example",
        "role": "CISO",
        "message": "We run the city's trams and want to share our threat model.",
        "consent": "on",
        "homepage": "",
        "started": JoinForm.sign_started(time.time() - 60),
    }
    data.update(changes)
    return data


def test_form_renders_with_labels_and_trap(client, partners_section):
    html = soup(client.get("/en/join/"))
    for name in ["organisation", "partner_type", "country", "contact_name", "email", "message", "consent"]:
        field = html.select_one(f'[name="{name}"]')
        assert field is not None and html.select_one(f'label[for="{field["id"]}"]') is not None
    assert html.select_one(".join-form__trap [name=homepage]")
    assert html.select_one("input[name=started]")["type"] == "hidden"


def test_valid_application_is_stored_and_mailed(client, partners_section):
    response = client.post("/en/join/", valid_data())
    assert response.status_code == 302 and response.url == "/en/join/?sent=1"
    application = MembershipApplication.objects.get()
    assert application.organisation == "Gotham Transit" and application.status == ApplicationStatus.NEW
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["board@securingsmartcities.org"]
    assert "Gotham Transit" in mail.outbox[0].body
    assert "Thank you" in client.get(response.url).content.decode()


# The honeypot and the request to confirm a fast submission: tests/test_spam_traps.py (shared
# with event registration).


def test_the_form_starts_neutral_with_autocomplete_hints(client, partners_section):
    html = soup(client.get("/en/join/"))
    chosen = html.select("[name=partner_type] option[selected]")
    assert [option["value"] for option in chosen] in ([], [""])  # no type chosen for the applicant
    assert html.select_one("[name=country] option").get_text() == "Choose a country"
    hints = {field["name"]: field.get("autocomplete") for field in html.select("form.join-form [name]")}
    assert hints["organisation"] == "organization" and hints["email"] == "email"
    assert hints["contact_name"] == "name" and hints["country"] == "country" and hints["role"] == "organization-title"


def test_errors_are_summarised_with_links_to_the_fields_and_the_summary_takes_focus(client, partners_section):
    html = soup(client.post("/en/join/", valid_data(email="nope", partner_type="")))
    summary = html.select_one(".error-summary")
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    links = {a["href"]: a.get_text() for a in summary.select("a")}
    assert set(links) == {"#id_email", "#id_partner_type"}
    email = html.select_one("#id_email")
    assert email["aria-invalid"] == "true" and email["aria-describedby"] == "id_email_error"
    assert html.select_one("#id_email_error").get_text(strip=True)


def test_eleventh_submission_within_an_hour_gets_429(client, partners_section):
    for _ in range(10):
        assert client.post("/en/join/", valid_data(email="not-valid")).status_code == 200
    response = client.post("/es/join/", valid_data())
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    html = soup(response)
    assert html.html["lang"] == "es" and html.h1
    assert not MembershipApplication.objects.exists()
    other = client.post("/en/join/", valid_data(), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


@pytest.mark.parametrize("code", ["en", "fr", "ar"])
def test_invalid_fields_show_translated_errors_and_keep_values(client, partners_section, code):
    with translation.override(code):
        required = translation.gettext("This field is required.")
    assert code == "en" or required != "This field is required."
    response = client.post(f"/{code}/join/", valid_data(contact_name="", email="nope", consent=""))
    assert response.status_code == 200
    html = soup(response)
    assert required in html.get_text()
    assert html.select_one("[name=organisation]")["value"] == "Gotham Transit"
    assert html.select_one("[name=email]")["value"] == "nope"
    assert "trams" in html.select_one("[name=message]").get_text()
    assert not MembershipApplication.objects.exists()


def test_accepting_creates_draft_profile_group_collection_and_invitation(client, partners_section):
    application = MembershipApplicationFactory(organisation="Gotham Transit", email="ada@gotham.example")
    board = make_user("board", is_superuser=True)
    client.force_login(board)
    url = f"/admin/partners/applications/accept/{application.pk}/"
    assert "Gotham Transit" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    application.refresh_from_db()
    page = PartnerPage.objects.get(title="Gotham Transit")
    assert application.status == ApplicationStatus.ACCEPTED and application.partner_page == page
    assert not page.live and page.get_parent().specific == partners_section["index"]
    permission = GroupPagePermission.objects.get(page=page)
    assert permission.group.name == "Partner: Gotham Transit" and permission.permission.codename == "change_page"
    assert permission.group.collection_permissions.exists()
    assert [m.to for m in mail.outbox] == [["ada@gotham.example"]]
    user = permission.group.user_set.get()
    assert user.email == "ada@gotham.example" and not user.has_usable_password()


def test_applications_list_and_decline_in_admin(client, partners_section):
    application = MembershipApplicationFactory(organisation="Spam Corp")
    client.force_login(make_user("board", is_superuser=True))
    listing = client.get("/admin/partners/applications/").content.decode()
    assert "Spam Corp" in listing and f"/admin/partners/applications/accept/{application.pk}/" in listing
    client.post(f"/admin/partners/applications/decline/{application.pk}/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED


def test_partner_cannot_open_applications(client, two_partners):
    client.force_login(make_user("alpha", two_partners["group_a"]))
    application = MembershipApplicationFactory()
    for url in ["/admin/partners/applications/", f"/admin/partners/applications/accept/{application.pk}/"]:
        response = client.get(url)
        assert response.status_code in (302, 403)
    client.post(f"/admin/partners/applications/accept/{application.pk}/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW


def test_purge_applications(partners_section):
    old = MembershipApplicationFactory(status=ApplicationStatus.DECLINED)
    recent = MembershipApplicationFactory(status=ApplicationStatus.DECLINED)
    accepted_old = MembershipApplicationFactory(status=ApplicationStatus.ACCEPTED)
    MembershipApplication.objects.filter(pk__in=[old.pk, accepted_old.pk]).update(
        updated_at=timezone.now() - timedelta(days=200)
    )
    out = io.StringIO()
    call_command("purge_applications", "--older-than", "180", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert set(MembershipApplication.objects.values_list("pk", flat=True)) == {recent.pk, accepted_old.pk}


def test_the_scheduler_purges_declined_applications_daily(partners_section):
    old = MembershipApplicationFactory(status=ApplicationStatus.DECLINED)
    recent = MembershipApplicationFactory(status=ApplicationStatus.DECLINED)
    MembershipApplication.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=181))
    out = io.StringIO()
    call_command("run_periodic_jobs", "--list", stdout=out)
    assert "purge_declined_applications\tevery 1 day, 0:00:00" in out.getvalue()
    call_command("run_periodic_jobs", "--once", stdout=out)
    assert "purge_declined_applications: ok (1 declined application(s) older than 180 days deleted)" in out.getvalue()
    assert list(MembershipApplication.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.parametrize("days", ["abc", "-3", ""])
def test_purge_applications_rejects_bad_days(days):
    with pytest.raises(CommandError, match="whole number of days"):
        call_command("purge_applications", "--older-than", days)
