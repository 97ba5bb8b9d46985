"""Topic digests: double opt-in, signed preferences, the periodic digest (own language, public items
only, never twice, in batches), one-click unsubscribe, the archive, follow links, the Board's tools."""

import re
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from django.core import mail
from django.core.management import call_command
from django.test import Client

from wagtail.models import BaseViewRestriction, PageViewRestriction

from digests import bounces
from digests.digest import last_complete_period, send_digests
from digests.models import ConsentRecord, Delivery, Digest, Subscriber, address_hash
from hub.models import Topic
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    SubscribePageFactory,
)
from tests.helpers import make_user, translate_page
from tests.html import soup

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 3, 12, 9, 0, tzinfo=UTC)  # a Wednesday
WEEK_START, WEEK_END = last_complete_period("weekly", NOW)


@pytest.fixture
def subscribe_page(home):
    page = SubscribePageFactory(parent=home)
    translate_page(page)
    return page


@pytest.fixture
def topics(db):
    return {slug: Topic.objects.create(name=slug.title(), slug=slug) for slug in ("grids", "cameras")}


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def subscribe(client, email="ada@example.org", language="en", topics=(), frequency="weekly", code="en"):
    return client.post(
        f"/{code}/subscribe/",
        {
            "email": email,
            "language": language,
            "topics": [topic.pk for topic in topics],
            "frequency": frequency,
            "consent": "on",
            "website": "",
        },
    )


def subscriber(email, language, topics, frequency="weekly", confirmed=WEEK_START - timedelta(days=30)):
    """A confirmed subscriber, as the confirmation link makes them."""
    made = Subscriber.objects.create(
        email=email, language=language, frequency=frequency, key=f"key-{email}", confirmed_at=confirmed
    )
    made.topics.set(topics)
    ConsentRecord.objects.create(
        subscriber=made,
        address_hash=address_hash(email),
        text_version="2026-12",
        text="I agree.",
        language=language,
        requested_at=confirmed,
        confirmed_at=confirmed,
    )
    return made


# --- Double opt-in --------------------------------------------------------------------------


def test_nothing_is_stored_or_sent_before_the_confirmation_link_is_used(client, subscribe_page, topics):
    response = subscribe(client, topics=[topics["grids"]], language="es")
    assert response.status_code == 200
    assert "Check your mail" in response.content.decode()
    assert not Subscriber.objects.exists() and not ConsentRecord.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Confirme su resumen temático de Securing Smart Cities"  # in the chosen language
    assert link_in(message).startswith("/es/subscribe/confirm/")
    send_digests(now=NOW)
    assert len(mail.outbox) == 1


def test_the_confirmation_link_subscribes_and_keeps_proof_of_consent(client, subscribe_page, topics):
    subscribe(client, email="Ada@Example.org", topics=list(topics.values()), frequency="monthly")
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 200 and "You are subscribed" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    ada = Subscriber.objects.get()
    assert (ada.email, ada.language, ada.frequency) == ("ada@example.org", "en", "monthly")
    assert set(ada.topics.all()) == set(topics.values())
    (consent,) = ConsentRecord.objects.all()
    assert consent.address_hash == address_hash("ada@example.org") and "ada" not in consent.address_hash
    assert consent.text_version == "2026-12" and "unsubscribe" in consent.text
    assert consent.requested_at <= consent.confirmed_at
    # The page links to the signed preferences.
    assert "/en/subscribe/preferences/" in soup(response).find("a", string="Change your topics now")["href"]


def test_an_expired_link_offers_to_send_a_new_one(client, subscribe_page, topics, monkeypatch):
    real_time = time.time
    four_days_ago = real_time() - 4 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: four_days_ago)
    subscribe(client, topics=[topics["grids"]])
    monkeypatch.setattr("django.core.signing.time.time", real_time)
    link = link_in(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not Subscriber.objects.exists()
    client.post(link)  # "Send me a new link"
    assert len(mail.outbox) == 2
    assert client.get(link_in(mail.outbox[1])).status_code == 200
    assert Subscriber.objects.get().topics.get() == topics["grids"]


def test_a_changed_link_is_refused_and_the_form_says_nothing_about_who_subscribes(client, subscribe_page, topics):
    subscribe(client, topics=[topics["grids"]])
    link = link_in(mail.outbox[0])
    assert client.get(link[:-6] + "xxxxx/").status_code == 400
    assert client.get(link[:40] + "/").status_code == 400
    client.get(link)
    again = subscribe(client, topics=[topics["grids"]])  # an address that is subscribed already
    fresh = subscribe(client, email="new@example.org", topics=[topics["grids"]])
    assert again.content == fresh.content


def test_robots_and_bad_input_get_no_mail(client, subscribe_page, topics):
    client.post("/en/subscribe/", {"email": "bot@example.org", "topics": [topics["grids"].pk], "website": "x"})
    response = client.post("/en/subscribe/", {"email": "not an address", "consent": "on"})
    assert response.status_code == 200 and "form-error-summary" in response.content.decode()
    assert mail.outbox == []


def test_subscribing_is_rate_limited(client, subscribe_page, topics, settings):
    settings.HUB_RATE_LIMITS = {**settings.HUB_RATE_LIMITS, "subscription": (2, 3600)}
    assert [subscribe(client, email=f"p{n}@example.org", topics=[topics["grids"]]).status_code for n in range(3)] == [
        200,
        200,
        429,
    ]
    assert len(mail.outbox) == 2


def test_topic_pages_and_the_footer_lead_to_the_form_with_their_topics(client, subscribe_page, topics):
    index = ArticleIndexPageFactory(parent=subscribe_page.get_parent())
    article = ArticlePageFactory(parent=index, title="Grid report")
    article.tags.add(topics["grids"])
    article.save_revision().publish()
    footer = soup(client.get("/en/")).find("footer")
    (follow,) = footer.find_all("a", string="Topic digests by email")
    assert follow["href"] == "/en/subscribe/"
    link = soup(client.get(article.url)).find("a", string="Get these topics by email")
    assert link["href"] == "/en/subscribe/?topics=grids"
    assert soup(client.get("/en/articles/?tag=grids")).find("a", string="Get these topics by email")
    EventIndexPageFactory(parent=subscribe_page.get_parent())
    events = soup(client.get("/en/events/?tag=grids"))
    assert events.find("a", string="Get these topics by email")["href"] == "/en/subscribe/?topics=grids"
    form = soup(client.get(link["href"]))
    checked = [box["value"] for box in form.select('input[name="topics"][checked]')]
    assert checked == [str(topics["grids"].pk)]
    assert form.find("select", attrs={"name": "language"}).find("option", selected=True)["value"] == "en"


# --- The digest -----------------------------------------------------------------------------


@pytest.fixture
def news(home, subscribe_page, topics):
    """Articles and events of the last complete week, in English and Spanish; and what must never go out."""
    articles = ArticleIndexPageFactory(parent=home)
    translate_page(articles)
    events = EventIndexPageFactory(parent=home)
    translate_page(events)

    def article(title, topic, **fields):
        page = ArticlePageFactory(parent=articles, title=title, **fields)
        page.tags.add(topic)
        page.save_revision().publish()
        return page

    grid = article("Grid report", topics["grids"])
    spanish = translate_page(grid, codes=["es"], suffix=False)["es"]
    spanish.title = "Informe sobre redes"
    spanish.save_revision().publish()
    camera = article("Camera report", topics["cameras"])
    english_only = article("English-only note", topics["grids"])
    english_only.copy_for_translation(spanish.locale, alias=True)
    private = article("Board-only grid memo", topics["grids"])
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=BaseViewRestriction.LOGIN)
    draft = ArticlePageFactory(parent=articles, title="Draft grid plan", live=False)
    draft.tags.add(topics["grids"])
    draft.save_revision()
    withdrawn = article("Withdrawn grid item", topics["grids"])
    withdrawn.unpublish()
    meeting = EventPageFactory(parent=events, title="Grid workshop", start=WEEK_END + timedelta(days=10))
    meeting.tags.add(topics["grids"])
    meeting.save_revision().publish()
    old = article("Older grid news", topics["grids"])
    in_week = WEEK_START + timedelta(days=2)
    from wagtail.models import Page

    Page.objects.exclude(pk=old.pk).filter(depth__gt=3).update(first_published_at=in_week)
    Page.objects.filter(pk=old.pk).update(first_published_at=WEEK_START - timedelta(days=3))
    return SimpleNamespace(grid=grid, spanish=spanish, camera=camera, restriction=restriction, meeting=meeting)


def digest_mail(to):
    (message,) = [message for message in mail.outbox if message.to == [to]]
    return message


def test_each_subscriber_gets_the_public_items_of_their_language_and_topics_once(
    news, topics, django_capture_on_commit_callbacks
):
    subscriber("en@example.org", "en", [topics["grids"]])
    subscriber("es@example.org", "es", [topics["grids"]])
    subscriber("fr@example.org", "fr", [topics["grids"]])  # nothing in French: no mail
    subscriber("cam@example.org", "en", [topics["cameras"]])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(now=NOW) == "3 digest(s) queued"

    english = digest_mail("en@example.org")
    assert "Grid report" in english.body and "Grid workshop" in english.body
    for never in ("Camera report", "Board-only", "Draft grid plan", "Withdrawn", "Older grid news", "Informe"):
        assert never not in english.body
        assert never not in english.alternatives[0][0]
    spanish = digest_mail("es@example.org")
    assert "* Informe sobre redes" in spanish.body
    assert "* Grid report" not in spanish.body and "English-only note" not in spanish.body
    assert "Grid workshop" not in spanish.body  # not translated into Spanish: not a Spanish item
    assert "Camera report" in digest_mail("cam@example.org").body
    assert not [message for message in mail.outbox if message.to == ["fr@example.org"]]

    # Running the job again sends nothing more.
    count = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(now=NOW)
        send_digests(now=NOW + timedelta(hours=1))
    assert len(mail.outbox) == count
    assert Digest.objects.filter(language="en", frequency="weekly").count() == 1


def test_every_digest_carries_its_own_one_click_unsubscribe_headers(news, topics, django_capture_on_commit_callbacks):
    ada = subscriber("ada@example.org", "en", [topics["grids"]])
    subscriber("bob@example.org", "en", [topics["grids"]])
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(now=NOW)
    message = digest_mail("ada@example.org")
    header = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<http://testserver/en/subscribe/unsubscribe/[^>]+/>", header)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header != digest_mail("bob@example.org").extra_headers["List-Unsubscribe"]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and '<html lang="en" dir="ltr">' in html
    assert "/en/subscribe/preferences/" in message.body
    # The one-click POST, as a mail client sends it: no cookie, no CSRF token.
    url = header.strip("<>").removeprefix("http://testserver")
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert not Subscriber.objects.filter(pk=ada.pk).exists()
    assert ConsentRecord.objects.filter(address_hash=address_hash("ada@example.org"), withdrawn_at__isnull=False)


def test_arabic_digests_read_right_to_left(news, topics, django_capture_on_commit_callbacks):
    arabic = translate_page(news.grid, codes=["ar"])["ar"]
    type(arabic).objects.filter(pk=arabic.pk).update(first_published_at=WEEK_START + timedelta(days=1))
    subscriber("ar@example.org", "ar", [topics["grids"]])
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(now=NOW)
    message = digest_mail("ar@example.org")
    assert '<html lang="ar" dir="rtl">' in message.alternatives[0][0]
    assert arabic.title in message.body


def test_large_lists_go_out_in_batches_with_progress(news, topics, django_capture_on_commit_callbacks):
    for number in range(5):
        subscriber(f"p{number}@example.org", "en", [topics["grids"]])
    reports = []
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(now=NOW, batch_size=2, progress=reports.append)
    assert [re.search(r"\d+/\d+", report).group() for report in reports] == ["2/5", "4/5", "5/5"]
    assert len(mail.outbox) == 5
    assert Delivery.objects.filter(status="sent").count() == 5


def test_the_command_reports_progress(news, topics, capsys):
    subscriber("ada@example.org", "en", [topics["grids"]], confirmed=datetime(2020, 1, 1, tzinfo=UTC))
    call_command("send_digests")
    assert "digest(s) queued" in capsys.readouterr().out


def test_an_empty_period_sends_nothing(subscribe_page, topics, django_capture_on_commit_callbacks):
    subscriber("ada@example.org", "en", [topics["grids"]])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(now=NOW) == "0 digest(s) queued"
    assert mail.outbox == []


# --- Unsubscribing, preferences, bounces ----------------------------------------------------------


def test_one_click_unsubscribe_reveals_nothing_and_a_get_only_asks(client, subscribe_page, topics):
    ada = subscriber("ada@example.org", "en", [topics["grids"]])
    from digests.mail import unsubscribe_url

    url = unsubscribe_url(ada).removeprefix("http://testserver")
    page = client.get(url)
    assert page.status_code == 200 and soup(page).find("form", method="post")
    assert Subscriber.objects.filter(pk=ada.pk).exists()
    unknown = Client(enforce_csrf_checks=True).post("/en/subscribe/unsubscribe/made-up:token/")
    real = Client(enforce_csrf_checks=True).post(url)
    assert unknown.status_code == real.status_code == 200
    assert soup(unknown).find("main").get_text() == soup(real).find("main").get_text()
    assert not Subscriber.objects.filter(pk=ada.pk).exists()
    assert Client().post(url).status_code == 200  # twice is harmless


def test_the_signed_preference_link_changes_topics_and_language(client, subscribe_page, topics):
    ada = subscriber("ada@example.org", "en", [topics["grids"]])
    from digests.mail import preferences_url

    url = preferences_url(ada).removeprefix("http://testserver")
    form = soup(client.get(url))
    assert form.select_one(f'input[name="topics"][value="{topics["grids"].pk}"]').has_attr("checked")
    response = client.post(url, {"language": "fr", "topics": [topics["cameras"].pk], "frequency": "monthly"})
    assert "Your choices are saved" in response.content.decode()
    ada.refresh_from_db()
    assert (ada.language, ada.frequency, list(ada.topics.all())) == ("fr", "monthly", [topics["cameras"]])
    assert client.get(url[:-4] + "AAA/").status_code == 404


def test_bounces_pause_and_complaints_delete(subscribe_page, topics):
    ada = subscriber("ada@example.org", "en", [topics["grids"]])
    bob = subscriber("bob@example.org", "en", [topics["grids"]])
    bounces.tracking_event(None, SimpleNamespace(event_type="bounced", recipient="Ada@example.org"), esp_name="x")
    ada.refresh_from_db()
    assert not ada.active and ada.stopped_reason == "bounced"
    call_command("digest_bounce", "bob@example.org", "--complaint")
    assert not Subscriber.objects.filter(pk=bob.pk).exists()


# --- Archive and the Board's tools --------------------------------------------------------------


def test_the_archive_lists_past_digests_of_its_language(client, news, topics, django_capture_on_commit_callbacks):
    subscriber("ada@example.org", "en", [topics["grids"]])
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(now=NOW)
    listing = soup(client.get("/en/subscribe/archive/"))
    link = listing.find("main").find("a", href=re.compile(r"/archive/\d+/"))
    digest = client.get(link["href"]).content.decode()
    assert "Grid report" in digest and "Grid workshop" in digest
    assert "Board-only" not in digest
    assert soup(client.get("/es/subscribe/archive/")).find("main").find("a", href=re.compile(r"/archive/\d+/")) is None
    news.grid.unpublish()
    assert "Grid report" not in client.get(link["href"]).content.decode()


def test_the_board_counts_exports_and_erases_subscribers(client, subscribe_page, topics):
    from django.contrib.auth.models import Group

    subscriber("=cmd@example.org", "en", [topics["grids"], topics["cameras"]])
    subscriber("es@example.org", "es", [topics["grids"]])
    ConsentRecord.objects.create(
        address_hash=address_hash("es@example.org"),
        text_version="1",
        text="t",
        language="es",
        requested_at=NOW,
        confirmed_at=NOW,
    )
    board = make_user("board", Group.objects.get(name="Board"))
    client.force_login(board)
    page = soup(client.get("/admin/digests/subscribers/"))
    rows = {
        row.td.get_text(): [cell.get_text() for cell in row.find_all("td")[1:]]
        for row in page.select("tbody tr")
        if row.td
    }
    assert rows["Grids"] == ["1", "1", "0", "0", "2"]
    assert rows["Cameras"] == ["1", "0", "0", "0", "1"]
    export = client.get("/admin/digests/subscribers/export.csv")
    assert "'=cmd@example.org" in export.content.decode()
    client.post("/admin/digests/subscribers/", {"email": "es@example.org"})
    assert not Subscriber.objects.filter(email="es@example.org").exists()
    assert not ConsentRecord.objects.filter(address_hash=address_hash("es@example.org")).exists()
    client.force_login(make_user("someone"))
    assert client.get("/admin/digests/subscribers/").status_code in (302, 403)
