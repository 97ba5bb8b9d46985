"""The bones of the hub: pages in every locale, the root redirect, alternates, errors, health."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.template.loader import render_to_string
from django.utils import translation

from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from home.models import HomePage, StandardPage
from tests.factories import StandardPageFactory
from tests.helpers import make_user, translate_page
from tests.html import soup, switcher_links

LANGUAGES = [code for code, _name in settings.LANGUAGES]
BASE_DIR = Path(settings.BASE_DIR)


# --- Page types -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_tree_rules(home):
    root = Page.get_first_root_node()
    assert HomePage.can_exist_under(root)
    assert not HomePage.can_create_at(root)  # one home page; other locales are its translations
    assert StandardPage.can_create_at(home)
    assert not StandardPage.can_create_at(root)
    assert not HomePage.can_create_at(home)


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_home_page_renders_in_every_locale(client, home, code):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == code
    assert html.html["dir"] == ("rtl" if code == "ar" else "ltr")
    assert len(html.find_all("h1")) == 1
    expected = home.hero_heading if code == "en" else f"Hero ({code})"
    assert html.h1.get_text(strip=True) == expected
    assert html.find("main", id="main") and html.find("header") and html.find("footer")
    assert html.select_one("a.skip-link")["href"] == "#main"


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_standard_page_renders_in_every_locale(client, home, code):
    page = StandardPageFactory(parent=home, title="About", slug="about")
    translate_page(page)
    response = client.get(f"/{code}/about/")
    assert response.status_code == 200
    expected = "About" if code == "en" else f"About ({code})"
    assert soup(response).h1.get_text(strip=True) == expected


# --- Root redirect --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("es-ES,es;q=0.9", "/es/"),
        ("fr-CA,fr;q=0.8,en;q=0.5", "/fr/"),
        ("ar", "/ar/"),
        ("de-DE,de;q=0.9", "/en/"),
        ("", "/en/"),
        ("%%%;;;q=abc,,,", "/en/"),
        ("x" * 5000, "/en/"),
        ("es;q=nan, *;q=-1", "/en/"),
        ("\x00\x01", "/en/"),
    ],
)
def test_root_redirects_to_best_language(client, home, header, target):
    response = client.get("/", headers={"accept-language": header})
    assert response.status_code == 302
    assert response["Location"] == target
    assert "Accept-Language" in response["Vary"]


# --- Alternates and the language switcher -----------------------------------------------


@pytest.mark.django_db
def test_switcher_keeps_visitor_on_same_page(client, home):
    page = StandardPageFactory(parent=home, title="About", slug="about")
    translate_page(page, codes=["es"])
    links = switcher_links(client.get("/en/about/"))
    assert links["es"] == "/es/about/"
    # No French version yet: the switcher falls back to the French home page.
    assert links["fr"] == "/fr/"
    assert switcher_links(client.get("/es/about/"))["en"] == "/en/about/"


# --- Errors ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "heading"),
    [("en", "Page not found"), ("es", "Página no encontrada"), ("fr", "Page introuvable"), ("ar", "الصفحة غير موجودة")],
)
def test_404_page_is_the_sites_own_and_translated(client, home, code, heading):
    response = client.get(f"/{code}/no-such-page/")
    assert response.status_code == 404
    html = soup(response)
    assert html.h1.get_text(strip=True) == heading
    assert html.html["lang"] == code
    assert html.select(".language-switcher a")


@pytest.mark.parametrize(("code", "heading"), [("en", "Something went wrong"), ("fr", "Une erreur s’est produite")])
def test_500_page_is_translated_and_needs_no_database(code, heading):
    with translation.override(code):
        html = render_to_string("500.html")
    assert f"<h1>{heading}</h1>" in html
    assert f'lang="{code}"' in html


@pytest.mark.django_db
def test_bad_paths_give_404_not_500(client, home):
    for path in ["/en/%00/", "/en/" + "a" * 3000 + "/", "/zz/", "/en/about/../../etc/passwd"]:
        assert client.get(path).status_code in {301, 302, 404}, path


# --- Health, headers, well-known files --------------------------------------------------


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    checks = response.json()["checks"]
    assert {name for name, check in checks.items() if check["ok"]} == {"database", "cache", "tasks"}


@pytest.mark.django_db
def test_healthz_reports_database_down(client):
    with mock.patch.dict("hub.health.CHECKS", database=mock.Mock(side_effect=OperationalError("down"))):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "error": "OperationalError: down",
        "seconds": mock.ANY,
    }


@pytest.mark.django_db
def test_public_pages_carry_strict_csp_and_the_admin_its_own(client, home):
    csp = client.get("/en/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    admin = client.get("/admin/login/")["Content-Security-Policy"]
    script_src = next(part for part in admin.split("; ") if part.startswith("script-src "))
    assert script_src.startswith("script-src 'self' 'nonce-") and "unsafe" not in script_src


# The hub's copies of Wagtail admin templates, which differ from Wagtail's only by the CSP nonce.
ADMIN_OVERRIDES = ("wagtailadmin", "wagtail_localize", "wagtailsearchpromotions")


def test_no_inline_script_or_style_in_templates():
    offenders = []
    for template in BASE_DIR.glob("*/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        # Mail is read in mail clients, which need inline styles; the site's CSP does not apply to it.
        if {"mail", "email"} & set(template.parts):
            continue
        # JSON-LD is data, not executed (CSP script-src does not apply); any other inline script is not allowed,
        # except in admin templates, where each must carry the admin policy's nonce (hub.csp).
        text = template.read_text().replace('<script type="application/ld+json">', "")
        if any(part in ADMIN_OVERRIDES for part in template.parts):
            text = text.replace("<script{% csp_nonce %}>", "<script src=")
        if (
            "style=" in text
            or "<style" in text
            or ("<script" in text and "<script src=" not in text)
            or any(part in ADMIN_OVERRIDES for part in template.parts)
            and re.search(r"<script(?! src=)", text)
        ):
            offenders.append(str(template.relative_to(BASE_DIR)))
    assert offenders == []


@pytest.mark.parametrize("url", ["/admin/searchpicks/add/", "/admin/searchpicks/{query}/"])
def test_search_promotion_forms_keep_their_script_with_the_admin_nonce(client, db, url):
    """The add and edit forms share one override of Wagtail's script block (the nonce is its only change)."""
    query = Query.get("water")
    client.force_login(make_user("editor", is_superuser=True))
    response = client.get(url.format(query=query.pk))
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = soup(response).select(f'script[nonce="{nonce}"]')
    assert any("createQueryChooser" in script.get_text() for script in scripts)


# --- Commands and settings ------------------------------------------------------------------


def _run_with_settings(module, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = module
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "production-secret-for-tests-only-0123456789",
    "ALLOWED_HOSTS": "hub.example.org",
    "WAGTAILADMIN_BASE_URL": "https://hub.example.org",
}


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _run_with_settings("hub.settings.production", env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_with_debug():
    result = _run_with_settings("hub.settings.production", {**PRODUCTION_ENV, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG must not be enabled" in result.stderr


def _production_value(expression, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(PRODUCTION_ENV, **env_overrides)
    script = f"import json, hub.settings.production as s; print(json.dumps({expression}))"
    done = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_writes_info_log_lines_in_batches_of_at_most_log_flush_seconds():
    handler = "s.LOGGING['handlers']['console']"
    assert _production_value(handler, {}) == {
        "class": "hub.logs.BufferedStreamHandler",
        "formatter": "structured",
        "flush_seconds": 1.0,
    }
    assert _production_value(f"{handler}['flush_seconds']", {"LOG_FLUSH_SECONDS": "0"}) == 0.0
    assert _production_value(f"{handler}['flush_seconds']", {"LOG_FLUSH_SECONDS": " 2.5 "}) == 2.5


@pytest.mark.parametrize("value", ["soon", "-1", "3600", "nan"])
def test_production_refuses_a_log_flush_delay_that_is_not_a_number_of_seconds(value):
    result = _run_with_settings("hub.settings.production", {**PRODUCTION_ENV, "LOG_FLUSH_SECONDS": value})
    assert result.returncode != 0
    assert "LOG_FLUSH_SECONDS must be a number of seconds" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_deploy_checks():
    result = _run_with_settings("hub.settings.production", PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_dev_superuser_command_refuses_outside_development():
    with pytest.raises(CommandError, match="development settings"):
        call_command("create_dev_superuser", stdout=io.StringIO())
