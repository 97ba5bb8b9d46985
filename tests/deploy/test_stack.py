"""The production smoke test, through nginx as visitors and editors use the site (see conftest.py).

The tests run in file order and build on each other: the upload is published, the published
article is backed up and restored.
"""

import difflib
import io
import re
import time
from urllib.parse import urlsplit

import pytest
from PIL import Image

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.admin_forms import article_form

from .conftest import EDITOR

LANGUAGES = ["en", "es", "fr", "ar"]
SECTIONS = ["", "articles/", "events/", "events/past/", "partners/", "contributors/", "join/", "search/?q=city"]
FILES = ["articles/feed.rss", "articles/feed.atom", "events/calendar.ics"]
state = {}


def sitemap_paths(client, stack, path="/sitemap.xml"):
    """Every public page the sitemap lists (paths), following a sitemap index into its parts."""
    response = client.get(f"{stack.url}{path}", timeout=30)
    assert response.status_code == 200, path
    locations = [urlsplit(url) for url in re.findall(r"<loc>([^<]+)</loc>", response.text)]
    if "<sitemapindex" in response.text:
        return [page for part in locations for page in sitemap_paths(client, stack, part.path + (f"?{part.query}" if part.query else ""))]
    return [location.path for location in locations]


def test_every_page_type_in_every_language_answers_200(stack):
    """Every page of the sitemap (so every page type) under every language prefix, plus the pages'
    own files and the site-wide ones: translated pages are in the sitemap in their language, the
    others exist in every language as aliases."""
    client = stack.session()
    english = [path[len("/en/"):] for path in sitemap_paths(client, stack) if path.startswith("/en/")]
    events = [path for path in english if path.startswith("events/") and path.count("/") == 2]
    assert len(english) > 20 and events, "the demo's pages are in the sitemap"
    paths = sorted({*english, *SECTIONS, *FILES, f"{events[0]}event.ics"})
    failures = []
    for language in LANGUAGES:
        for path in paths:
            response = client.get(f"{stack.url}/{language}/{path}", timeout=30)
            if response.status_code != 200:
                failures.append((language, path, response.status_code))
            elif path == "":
                assert f'lang="{language}"' in response.text
    for path in ["/sitemap.xml", "/robots.txt", "/.well-known/security.txt", "/healthz"]:
        if (status := client.get(f"{stack.url}{path}", timeout=30).status_code) != 200:
            failures.append(("-", path, status))
    assert failures == []
    spanish = client.get(f"{stack.url}/es/", timeout=30)
    assert 'lang="es"' in spanish.text and "Artículos" in spanish.text, "the Spanish interface is translated"


def test_static_media_and_html_have_the_right_headers(stack):
    client = stack.session()
    home = client.get(f"{stack.url}/en/", headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert home.headers["Content-Encoding"] in {"gzip", "br"}, "HTML is compressed"
    assert "Strict-Transport-Security" in home.headers

    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home.text).group(1)
    static = client.get(f"{stack.url}{css}", timeout=30)
    assert static.status_code == 200
    assert static.headers["Cache-Control"] == "public, max-age=31536000, immutable"

    partners = client.get(f"{stack.url}/en/partners/", timeout=30).text
    logo = re.search(r'src="(/media/images/[^"]+)"', partners).group(1)
    rendition = client.get(f"{stack.url}{logo}", timeout=30)
    assert rendition.status_code == 200 and rendition.headers["Content-Type"] in {"image/webp", "image/avif", "image/png"}
    assert "max-age=" in rendition.headers["Cache-Control"]
    Image.open(io.BytesIO(rendition.content)).verify()

    # The demo's logos are PNG files; a rendition's name is the original's stem, its filter and format.
    stem = re.sub(r"\.(max|fill|width|height|min|scale)-.*$", "", logo.replace("/media/images/", "/media/original_images/"))
    original = stem + ".png"
    assert client.get(f"{stack.url}{original}", timeout=30).status_code == 404, "originals are never served directly"

    missing = client.get(f"{stack.url}/en/no-such-page/", timeout=30)
    assert missing.status_code == 404
    assert "Traceback" not in missing.text and "DEBUG" not in missing.text


def signed_in(stack):
    client = stack.session()
    login = client.get(f"{stack.url}/admin/login/", timeout=30)
    token = csrf_token(login.text)
    response = client.post(
        f"{stack.url}/admin/login/",
        data={"username": EDITOR["username"], "password": EDITOR["password"], "csrfmiddlewaretoken": token, "next": "/admin/"},
        headers={"Referer": f"{stack.url}/admin/login/"},
        timeout=30,
    )
    assert response.status_code == 200 and urlsplit(response.url).path == "/admin/", "the editor is signed in"
    return client


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def post_form(client, stack, path, data, files=None):
    form = client.get(f"{stack.url}{path}", timeout=30)
    assert form.status_code == 200, path
    return client.post(
        f"{stack.url}{path}",
        data={**data, "csrfmiddlewaretoken": csrf_token(form.text)},
        files=files,
        headers={"Referer": f"{stack.url}{path}"},
        allow_redirects=False,
        timeout=60,
    )


def png(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_admin_uploads_land_in_the_bucket_and_both_instances_see_them(stack):
    client = signed_in(stack)
    state["pdf"] = b"%PDF-1.4\n% smoke test guideline\n" + bytes(range(256)) * 64
    response = post_form(client, stack, "/admin/images/add/", {"title": "Smoke lights", "collection": "1"},
                         files={"file": ("smoke-lights.png", png("teal"), "image/png")})
    assert response.status_code == 302, response.text[:3000]
    response = post_form(client, stack, "/admin/documents/add/", {"title": "Smoke guideline", "collection": "1"},
                         files={"file": ("smoke-guideline.pdf", state["pdf"], "application/pdf")})
    assert response.status_code == 302, response.text[:3000]

    state["image_id"] = stack.query("__import__('wagtail.images.models').images.models.Image.objects.get(title='Smoke lights').pk")
    state["document_id"] = stack.query(
        "__import__('wagtail.documents.models').documents.models.Document.objects.get(title='Smoke guideline').pk"
    )

    keys = {item["Key"] for item in stack.s3.list_objects_v2(Bucket="hub-media")["Contents"]}
    assert "original_images/smoke-lights.png" in keys and "documents/smoke-guideline.pdf" in keys

    session_cookie = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in client.cookies)}
    for instance in ("app_a", "app_b"):
        edit = stack.direct(instance, f"/admin/images/{state['image_id']}/", headers=session_cookie)
        assert edit.status_code == 200 and "Smoke lights" in edit.text, instance
    state["client"] = client


def test_a_publish_shows_through_varnish_and_both_instances_at_the_next_request(stack):
    client = state["client"]
    visitor = stack.session()
    listing = f"{stack.url}/en/articles/"
    visitor.get(listing, timeout=30)
    cached = visitor.get(listing, timeout=30)
    assert cached.headers.get("X-Frontend-Cache") == "hit", "Varnish caches the anonymous listing"

    index_id = stack.query(
        "__import__('articles.models').models.ArticleIndexPage.objects.get(locale__language_code='en').pk"
    )
    data = nested_form_data(
        {
            **{key: value for key, value in article_form().items() if not key.startswith(("body-", "downloads-"))},
            "title": "Smoke test: lighting networks",
            "slug": "smoke-test-lighting-networks",
            "tags": "",
            "hero_image": state["image_id"],
            "body": streamfield([]),
            "downloads": inline_formset([{"document": state["document_id"], "title": ""}]),
            "action-publish": "publish",
        }
    )
    response = post_form(client, stack, f"/admin/pages/add/articles/articlepage/{index_id}/", data)
    assert response.status_code == 302, response.text[-3000:]

    fresh = visitor.get(listing, timeout=30)
    assert "Smoke test: lighting networks" in fresh.text, "Varnish was purged: the next request shows the article"
    for instance in ("app_a", "app_b"):
        assert "Smoke test: lighting networks" in stack.direct(instance, "/en/articles/").text, instance
    # The other languages' copies (aliases) and the document's publicity may wait for the task worker.
    for language in LANGUAGES:
        eventually(lambda language=language: visitor.get(
            f"{stack.url}/{language}/articles/smoke-test-lighting-networks/", timeout=30
        ).status_code == 200, language)

    article = visitor.get(f"{stack.url}/en/articles/smoke-test-lighting-networks/", timeout=30).text
    hero = re.search(r'src="(/media/images/smoke-lights[^"]+)"', article).group(1)
    assert visitor.get(f"{stack.url}{hero}", timeout=30).status_code == 200
    document = re.search(r'href="(/documents/\d+/smoke-guideline\.pdf)"', article).group(1)
    eventually(lambda: visitor.get(f"{stack.url}{document}", timeout=30).status_code == 200, document)
    for fetch in (
        lambda: visitor.get(f"{stack.url}{document}", timeout=30),
        lambda: stack.direct("app_a", document),
        lambda: stack.direct("app_b", document),
    ):
        download = fetch()
        assert download.status_code == 200 and download.content == state["pdf"]
        assert "Location" not in download.headers
    state["document_url"] = document


def test_nothing_uploaded_touched_the_app_servers_disk(stack):
    media = stack.work / "media-unused"
    assert [path for path in media.rglob("*") if path.is_file()] == []
    leftovers = [path for path in (stack.work / "app-tmp").rglob("*") if path.is_file()]
    assert leftovers == []


def test_backup_restored_into_a_fresh_installation_serves_the_same_pages_and_files(stack):
    archives = sorted((stack.work / "backups").glob("hub-backup-*.tar.gz"))
    time.sleep(1)  # a new archive name (to the second)
    stack.manage("backup", "--output-dir", str(stack.work / "backups"))
    [archive] = sorted(set((stack.work / "backups").glob("hub-backup-*.tar.gz")) - set(archives))
    restore_env = stack.restore_env
    done = stack.manage("restore", str(archive), env=restore_env)
    assert "Restored" in done.stdout
    stack.start_app("app_restored", {**restore_env, "HUB_PAGE_CACHE_SECONDS": "0"})

    paths = sitemap_paths(stack.session(), stack)
    assert "/en/articles/smoke-test-lighting-networks/" in paths
    differences = []
    for path in paths:
        original = stack.direct("app_a", path, headers={"Cookie": ""})
        restored = stack.direct("app_restored", path)
        if (original.status_code, mask(original.text)) != (restored.status_code, mask(restored.text)):
            diff = difflib.unified_diff(
                mask(original.text).splitlines(), mask(restored.text).splitlines(), "original", "restored", n=0, lineterm=""
            )
            differences.append((path, original.status_code, restored.status_code, "\n".join(list(diff)[:12])))
    assert differences == []
    for document in set(re.findall(r'href="(/documents/\d+/[^"]+)"', stack.direct("app_a", "/en/articles/").text)) | {
        state["document_url"]
    }:
        assert stack.direct("app_restored", document).content == stack.direct("app_a", document).content, document


def eventually(check, what, seconds=60):
    """Poll check() until it is true (work the task worker does after a publish), or fail."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what}: not done within {seconds} s"
        time.sleep(1)


def mask(html):
    """The page without what differs on every response: hidden form values (the CSRF token, the
    join form's signed time stamp)."""
    return re.sub(r'(<input type="hidden"[^>]*?)value="[^"]*"', r"\1", html)


@pytest.fixture(scope="module", autouse=True)
def _report(stack):
    yield
    print("\nsmoke timings:", ", ".join(f"{name} {seconds:.0f} s" for name, seconds in stack.timings.items()))
