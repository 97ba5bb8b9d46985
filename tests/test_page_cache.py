"""The anonymous page cache: hits cost no query, edits show at once, nothing personal is stored."""

import gzip
import os
import sqlite3
from types import SimpleNamespace

import pytest

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from wagtail.models import Site

from hub import cache as hub_cache
from hub import page_cache
from hub.models import SiteSettings
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, StandardPageFactory


@pytest.fixture
def cached(settings):
    settings.HUB_PAGE_CACHE_SECONDS = 300


@pytest.mark.django_db
def test_second_anonymous_visit_is_served_from_cache_without_queries(client, home, cached, django_assert_num_queries):
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # created once, on first use
    first = client.get("/en/")
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/en/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    # Browsers and shared caches revalidate: nothing downstream keeps a page after it changes.
    assert second["Cache-Control"] == "max-age=0, must-revalidate, public"
    # Each language is its own entry.
    assert client.get("/es/")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_publishing_makes_cached_pages_stale(client, home, cached):
    page = StandardPageFactory(parent=home, title="About", slug="about")
    assert "About" in client.get("/en/about/").content.decode()
    page.title = "About us"
    page.save_revision().publish()
    response = client.get("/en/about/")
    assert response["X-Cache"] == "miss"
    assert "About us" in response.content.decode()
    page.unpublish()
    assert client.get("/en/about/").status_code == 404


@pytest.mark.django_db
def test_signed_in_users_and_errors_are_never_cached(client, home, cached):
    assert client.get("/en/nope/").status_code == 404
    assert "X-Cache" not in client.get("/en/nope/")
    client.force_login(User.objects.create_user("u", "u@example.org", "pw-user-12345"))
    assert "X-Cache" not in client.get("/en/")


@pytest.mark.django_db
def test_keys_ignore_query_parameters_the_page_does_not_read(client, home, cached):
    ArticleIndexPageFactory(parent=home)
    client.get("/en/articles/")  # the site's first request also creates its settings (a visible change)
    client.get("/en/articles/")
    assert client.get("/en/articles/")["X-Cache"] == "hit"
    keys_before = set(cache._cache)
    junk = "&".join(f"junk{n}=x" for n in range(100))
    response = client.get(f"/en/articles/?utm_source=mail&{junk}")
    assert response["X-Cache"] == "hit"  # the same entry as the bare URL
    assert set(cache._cache) == keys_before  # not one key more
    # A parameter the listing reads has entries of its own.
    assert client.get("/en/articles/?kind=news")["X-Cache"] == "miss"
    assert client.get("/en/articles/?kind=news&utm_source=x")["X-Cache"] == "hit"
    assert client.get("/en/articles/?kind=research")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_every_entry_expires_and_the_generation_never_repeats(client, home, cached, monkeypatch):
    timeouts = {}
    original_set = cache.set

    def recording_set(key, value, timeout=None, *args, **kwargs):
        timeouts[key] = timeout
        return original_set(key, value, timeout, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    monkeypatch.setattr(cache, "add", lambda key, value, timeout=None, **kw: recording_set(key, value, timeout) or True)
    client.get("/en/")
    page_cache.new_generation()
    assert timeouts and all(timeout and timeout > 0 for timeout in timeouts.values()), timeouts
    first = page_cache.generation()
    cache.delete(page_cache.GENERATION_KEY)  # expired, or evicted
    assert page_cache.generation() != first  # a new token: entries of the old one are never read again


@pytest.mark.django_db
def test_cached_pages_revalidate_with_an_etag(client, home, cached):
    first = client.get("/en/")
    etag = first["ETag"]
    assert client.get("/en/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.django_db
def test_s_maxage_only_with_a_purging_front_end_cache(client, home, cached, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": "http://127.0.0.1:1"}
    }
    settings.HUB_SHARED_CACHE_SECONDS = 120
    response = client.get("/en/")
    assert response["Cache-Control"] == "max-age=0, s-maxage=120, must-revalidate, public"


@pytest.mark.django_db
def test_paginated_listings_are_cached_with_the_parameters_their_links_echo(client, home, cached):
    index = ArticleIndexPageFactory(parent=home)
    for number in range(25):
        ArticlePageFactory(parent=index, title=f"Article {number}")
    for _ in range(3):
        first = client.get("/en/articles/?kind=news")
    assert first.status_code == 200 and first["X-Cache"] == "hit"
    echoed = client.get("/en/articles/?kind=news&ref=mail")
    assert echoed.status_code == 200
    assert "ref=mail" in echoed.content.decode()  # the page links keep it...
    assert "ref=mail" not in client.get("/en/articles/?kind=news").content.decode()  # ...only for this URL


@pytest.mark.django_db
def test_a_hit_is_the_page_as_it_was_sent_compressed_once_and_revalidated(
    client, home, cached, django_assert_num_queries
):
    """Hits are answered by the first middleware: headers of the whole stack kept, gzip bytes stored, 304s."""
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    miss = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip")
    assert miss["X-Cache"] == "miss" and miss["Content-Encoding"] == "gzip"
    with django_assert_num_queries(0):
        plain = client.get("/en/")
        zipped = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert plain["X-Cache"] == zipped["X-Cache"] == "hit"
    assert "Content-Encoding" not in plain and zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content == gzip.decompress(miss.content)
    assert int(plain["Content-Length"]) == len(plain.content)
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in zipped["Vary"]
    # What the middlewares below the hit path add is still there.
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Content-Language"):
        assert plain[header] == miss[header], header
    assert plain["X-Request-ID"] != miss["X-Request-ID"]  # per request, never stored
    # Revalidation: the ETag of either encoding answers 304 with no body.
    for etag in (plain["ETag"], zipped["ETag"]):
        not_modified = client.get("/en/", HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304 and not not_modified.content
        assert not_modified["ETag"] and not_modified["Cache-Control"] == plain["Cache-Control"]
    assert client.get("/en/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.django_db
def test_pages_kept_in_the_process_are_dropped_when_another_process_publishes(client, home, cached):
    """Where the cache cannot tell whether anyone wrote (Redis, PostgreSQL, here the test's
    in-memory cache), the per-process copy is read under the generation read for each request."""
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    page = StandardPageFactory(parent=home, title="About", slug="about")
    client.get("/en/about/")
    assert client.get("/en/about/")["X-Cache"] == "hit"
    # Another process published: it moved the shared generation on and updated the database.
    cache.set(page_cache.GENERATION_KEY, "from-another-process", page_cache.GENERATION_TIMEOUT)
    type(page).objects.filter(pk=page.pk).update(title="About us")
    response = client.get("/en/about/")
    assert response["X-Cache"] == "miss" and "About us" in response.content.decode()


@pytest.mark.django_db
def test_copies_are_served_without_a_round_trip_only_while_nobody_else_wrote_to_the_cache(
    client, home, cached, monkeypatch
):
    """With a change marker (the SQLite database cache's), a hot page costs no cache read until
    another process writes; then the generation is read again, and a change shows at once."""
    marker = ["nobody else wrote"]
    monkeypatch.setattr(page_cache, "change_marker", lambda: marker[0])
    reads = []
    original_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, **kw: reads.append(keys) or original_get_many(keys, **kw))
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    page = StandardPageFactory(parent=home, title="About", slug="about")
    client.get("/en/about/")
    reads.clear()
    assert client.get("/en/about/")["X-Cache"] == "hit" and client.get("/en/about/")["X-Cache"] == "hit"
    assert reads == []  # not one round trip to the shared cache
    # Another process publishes: a write to the cache's database moves the marker on.
    cache.set(page_cache.GENERATION_KEY, "from-another-process", page_cache.GENERATION_TIMEOUT)
    type(page).objects.filter(pk=page.pk).update(title="About us")
    marker[0] = "another process wrote"
    response = client.get("/en/about/")
    assert response["X-Cache"] == "miss" and "About us" in response.content.decode() and reads
    # This process publishes: its own copies move on at once, whatever the marker says.
    assert client.get("/en/about/")["X-Cache"] == "hit"
    page.refresh_from_db()
    page.title = "About the initiative"
    page.save_revision().publish()
    response = client.get("/en/about/")
    assert response["X-Cache"] == "miss" and "About the initiative" in response.content.decode()


def test_the_sqlite_change_marker_moves_whenever_a_write_is_committed(tmp_path):
    """What the marker relies on: the header bytes SQLite rewrites at every commit in
    rollback-journal mode, read from the file (no lock, no transaction)."""
    path = tmp_path / "cache.sqlite3"
    ours, other = (sqlite3.connect(path, isolation_level=None) for _ in range(2))
    ours.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT)")
    header = hub_cache.SQLiteHeader(path)
    before = hub_cache.sqlite_change_marker(ours, header)
    assert before[1] == "file"
    ours.execute("SELECT * FROM entries").fetchall()  # reads change nothing
    assert hub_cache.sqlite_change_marker(ours, header) == before
    other.execute("INSERT INTO entries VALUES ('generation', 'new')")
    after_theirs = hub_cache.sqlite_change_marker(ours, header)
    assert after_theirs != before
    ours.execute("INSERT INTO entries VALUES ('ours', 'x')")  # our own commit moves it too
    after_ours = hub_cache.sqlite_change_marker(ours, header)
    assert after_ours != after_theirs
    # A write in progress is not committed yet; the marker moves once it is.
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO entries VALUES ('pending', 'y')")
    assert hub_cache.sqlite_change_marker(ours, header) == after_ours
    other.execute("COMMIT")
    assert hub_cache.sqlite_change_marker(ours, header) != after_ours
    # Another connection's values are never compared with ours.
    assert hub_cache.sqlite_change_marker(other, header) != hub_cache.sqlite_change_marker(ours, header)
    header.close()


def test_in_wal_mode_the_marker_asks_sqlite(tmp_path):
    """In WAL mode the header need not move on a commit: ``PRAGMA data_version`` answers instead,
    and it moves when another connection commits."""
    path = tmp_path / "cache.sqlite3"
    ours, other = (sqlite3.connect(path, isolation_level=None) for _ in range(2))
    ours.execute("PRAGMA journal_mode=WAL")
    ours.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT)")
    header = hub_cache.SQLiteHeader(path)
    assert header.change_bytes() is None
    before = hub_cache.sqlite_change_marker(ours, header)
    assert before[1] == "data_version" and hub_cache.sqlite_change_marker(ours, header) == before
    other.execute("INSERT INTO entries VALUES ('generation', 'new')")
    assert hub_cache.sqlite_change_marker(ours, header) != before
    header.close()


def test_the_database_cache_reads_the_header_of_the_file_its_connection_opened(tmp_path):
    """One header per connection, of the file it opened; a new connection opens the file again,
    and an in-memory database has none (``PRAGMA data_version`` answers)."""
    connection = SimpleNamespace(connection=sqlite3.connect(tmp_path / "one.sqlite3", isolation_level=None))
    connection.connection.execute("CREATE TABLE entries (key TEXT)")
    header = hub_cache._header_of(connection)
    assert header is not None and header.change_bytes() is not None
    assert hub_cache._header_of(connection) is header
    connection.connection = sqlite3.connect(tmp_path / "two.sqlite3", isolation_level=None)
    connection.connection.execute("CREATE TABLE entries (key TEXT)")
    second = hub_cache._header_of(connection)
    assert second is not header and header.fd is None  # the first file is closed
    assert os.fstat(second.fd).st_ino == os.stat(tmp_path / "two.sqlite3").st_ino
    connection.connection = sqlite3.connect(":memory:")
    assert hub_cache._header_of(connection) is None and second.fd is None


@pytest.mark.django_db
def test_a_marker_that_moved_while_the_generation_was_read_is_not_trusted(client, home, cached, monkeypatch):
    """The header is read without a lock, so it may show a write in progress that is then rolled
    back, and a later commit may bring the very same bytes: a marker is trusted only when it was
    the same before and after the generation read, or a change would be missed."""
    marker = ["a write in progress"]
    seen = []

    def change_marker():
        if len(seen) == 1:  # the generation has just been read: the write was rolled back
            marker[0] = "rolled back"
        seen.append(marker[0])
        return marker[0]

    monkeypatch.setattr(page_cache, "change_marker", change_marker)
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    page = StandardPageFactory(parent=home, title="About", slug="about")
    seen.clear()
    assert client.get("/en/about/")["X-Cache"] == "miss"
    assert seen == ["a write in progress", "rolled back"]
    # Another process publishes, and its commit happens to leave the bytes first seen.
    cache.set(page_cache.GENERATION_KEY, "from-another-process", page_cache.GENERATION_TIMEOUT)
    type(page).objects.filter(pk=page.pk).update(title="About us")
    marker[0] = "a write in progress"
    response = client.get("/en/about/")
    assert response["X-Cache"] == "miss" and "About us" in response.content.decode()


@pytest.mark.django_db
def test_visitors_with_a_session_and_plain_http_under_an_https_redirect_skip_the_hit_path(
    client, home, cached, settings
):
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    client.get("/en/")
    assert client.get("/en/")["X-Cache"] == "hit"
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert "X-Cache" not in client.get("/en/")
    del client.cookies[settings.SESSION_COOKIE_NAME]
    settings.SECURE_SSL_REDIRECT = True
    assert "X-Cache" not in client.get("/en/")  # left to SecurityMiddleware's redirect, never answered from the cache
    assert client.get("/en/", secure=True)["X-Cache"] == "miss"  # its own entry: its headers differ


@pytest.mark.django_db
def test_hits_are_only_for_the_hosts_the_settings_allow_now(client, home, cached, settings):
    """The hit path keeps its host checks per process (``page_cache._allowed_host``): a host it
    never allowed gets Django's 400, and one it allowed before is asked again once settings change."""
    settings.ALLOWED_HOSTS = ["hub.example.org"]
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    ours = {"HTTP_HOST": "hub.example.org"}
    client.get("/en/", **ours)
    assert client.get("/en/", **ours)["X-Cache"] == "hit"
    assert client.get("/en/", HTTP_HOST="attacker.example").status_code == 400
    settings.USE_X_FORWARDED_HOST = True
    assert client.get("/en/", HTTP_X_FORWARDED_HOST="attacker.example", **ours).status_code == 400
    settings.USE_X_FORWARDED_HOST = False
    assert client.get("/en/", **ours)["X-Cache"] == "hit"
    settings.ALLOWED_HOSTS = ["hub.example.net"]
    assert client.get("/en/", **ours).status_code == 400


@pytest.fixture
def wsgi_application():
    """``hub.wsgi``'s application around a Django handler, called as gunicorn calls it."""
    django = WSGIHandler()

    def django_application(environ, start_response):
        call.reached_django += 1
        return django(environ, start_response)

    application = page_cache.PageCacheApplication(django_application)

    def call(path, **headers):
        environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", **headers)
        sent = {}

        def start_response(status, response_headers, exc_info=None):
            sent.update(status=status, headers=dict(response_headers))

        # As Django's test client does: the handler would close the test's connection (inside the
        # test's transaction) when a request starts and ends.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = b"".join(application(environ, start_response))
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return sent["status"], sent["headers"], body

    call.reached_django = 0
    return call


@pytest.mark.django_db
def test_the_wsgi_entry_passes_paths_outside_latin_1_to_django_as_the_server_sent_them(wsgi_application, home, cached):
    """A server hands ``PATH_INFO`` over as Latin-1 text of the URL's bytes; the hit path must not
    decode it in place, or Django decodes it a second time (an Arabic slug was a 500)."""
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    StandardPageFactory(parent=home, title="مقالات", slug="مقالات")
    sent = "/en/مقالات/".encode().decode("iso-8859-1")
    status, miss, page = wsgi_application(sent)
    assert status == "200 OK" and miss["X-Cache"] == "miss" and "مقالات" in page.decode()
    status, hit, body = wsgi_application(sent)
    assert status == "200 OK" and hit["X-Cache"] == "hit" and body == page
    assert wsgi_application("/en/café/".encode().decode("iso-8859-1"))[0] == "404 Not Found"
    assert wsgi_application("/ar/مقالات-أخرى/".encode().decode("iso-8859-1"))[0] == "404 Not Found"


@pytest.mark.django_db
def test_the_wsgi_entry_answers_hits_before_django(wsgi_application, home, cached, client, django_assert_num_queries):
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    status, miss, page = wsgi_application("/en/")
    assert status == "200 OK" and miss["X-Cache"] == "miss" and wsgi_application.reached_django == 1
    with django_assert_num_queries(0):
        status, hit, body = wsgi_application("/en/", HTTP_ACCEPT_ENCODING="gzip", HTTP_X_REQUEST_ID="0123456789abcdef")
    assert status == "200 OK" and hit["X-Cache"] == "hit" and hit["X-Request-ID"] == "0123456789abcdef"
    assert gzip.decompress(body) == page and int(hit["Content-Length"]) == len(body)
    assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]
    status, revalidated, body = wsgi_application("/en/", HTTP_IF_NONE_MATCH=hit["ETag"])
    assert status == "304 Not Modified" and body == b""
    assert wsgi_application.reached_django == 1  # the hits never reached Django's handler
    # Not the hit path's: other methods, other paths, visitors with a session.
    assert "X-Cache" not in wsgi_application("/admin/login/")[1]
    assert "X-Cache" not in wsgi_application("/en/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=x")[1]
