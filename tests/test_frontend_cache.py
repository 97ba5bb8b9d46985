"""The front-end cache is purged on every visible change (hub/frontend_cache.py, a purger of hub.invalidation).

A small HTTP server on loopback stands in for Varnish and records the purges; the production
smoke test (tests/deploy/) checks a real Varnish serving the change at the next request.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wagtail.models import Site

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


class PurgeRecorder(BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purges.append((self.path, self.headers["Host"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(settings):
    """A stand-in cache on a free loopback port; its address is the hub's HUB_FRONTEND_CACHE_URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.purges = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "hub.frontend_cache.BanBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield server
    server.shutdown()
    server.server_close()


def test_publishing_purges_every_site_tree(home, varnish, django_capture_on_commit_callbacks):
    page = StandardPageFactory(parent=home, title="About")
    varnish.purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "About us"
        page.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    assert ("/", host) in varnish.purges


def test_nothing_is_purged_before_the_transaction_commits(home, varnish, django_capture_on_commit_callbacks):
    page = StandardPageFactory(parent=home, title="About")
    varnish.purges.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.save_revision().publish()
        assert varnish.purges == []
    assert callbacks, "the purge waits for the commit"


def test_a_cache_that_is_down_does_not_stop_a_publish(home, settings, django_capture_on_commit_callbacks, caplog):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "hub.frontend_cache.BanBackend", "LOCATION": "http://127.0.0.1:9"}
    }
    page = StandardPageFactory(parent=home, title="About")
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "About us"
        page.save_revision().publish()
    page.refresh_from_db()
    assert page.title == "About us" and page.live
    assert "Could not purge" in caplog.text
