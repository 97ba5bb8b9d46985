"""Partners and people on the public site: directory, profiles, contributors, home page, demo content."""

import pytest

from django.conf import settings

from hub.models import Topic
from partners.models import ContributorsPage, JoinPage, PartnerIndexPage, PartnerPage, PartnerType
from tests.factories import PartnerPageFactory, PersonFactory
from tests.helpers import query_counts, translate_page
from tests.html import soup

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_page_tree_rules(home):
    assert PartnerIndexPage.can_create_at(home)
    assert ContributorsPage.can_create_at(home)
    assert JoinPage.can_create_at(home)
    assert PartnerPage.allowed_parent_page_models() == [PartnerIndexPage]
    assert not PartnerPage.can_create_at(home)


# --- Rendering in every locale ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_partners_page_type_renders_in_every_locale(client, partners_section, code):
    index = partners_section["index"]
    partner = PartnerPageFactory(parent=index, title="Alpha City", slug="alpha", country="FR")
    translate_page(partner)
    PersonFactory(name="Ada Lovelace", role="Analyst", organisation=partner, is_board_member=True)
    suffix = "" if code == "en" else f" ({code})"
    for path, heading in [
        ("partners/", f"Partners{suffix}"),
        ("partners/alpha/", f"Alpha City{suffix}"),
        ("contributors/", f"Contributors{suffix}"),
        ("join/", f"Join{suffix}"),
    ]:
        response = client.get(f"/{code}/{path}")
        assert response.status_code == 200, path
        html = soup(response)
        assert html.html["lang"] == code
        assert len(html.find_all("h1")) == 1
        assert html.h1.get_text(strip=True) == heading
    response = client.get(f"/{code}/partners/alpha/")
    assert "Ada Lovelace" in response.content.decode()


@pytest.mark.django_db
def test_directory_lists_and_filters(client, partners_section):
    index = partners_section["index"]
    PartnerPageFactory(
        parent=index, title="Alpha City", slug="alpha", partner_type=PartnerType.CITY_AUTHORITY, country="FR"
    )
    PartnerPageFactory(
        parent=index, title="Beta Labs", slug="beta", partner_type=PartnerType.SECURITY_RESEARCH, country="ES"
    )
    PartnerPageFactory(
        parent=index, title="Gamma Fund", slug="gamma", partner_type=PartnerType.SUPPORTING, country="ES"
    )
    names = lambda response: [a.get_text(strip=True) for a in soup(response).select(".partner-list h2 a")]  # noqa: E731
    assert names(client.get("/en/partners/")) == ["Alpha City", "Beta Labs", "Gamma Fund"]
    assert names(client.get("/en/partners/?type=city")) == ["Alpha City"]
    assert names(client.get("/en/partners/?country=es")) == ["Beta Labs", "Gamma Fund"]
    assert names(client.get("/en/partners/?country=ES&type=research")) == ["Beta Labs"]
    # Supporting organisations are listed once, like every other type (no second list below).
    assert names(client.get("/en/partners/?type=supporting")) == ["Gamma Fund"]
    assert len(soup(client.get("/en/partners/")).find_all(string="Gamma Fund")) == 1
    for partner in PartnerPage.objects.filter(locale__language_code="en"):
        translate_page(partner, codes=["fr"])
    french = client.get("/fr/partners/?country=ES").content.decode()
    assert "Espagne" in french  # country names in the visitor's language


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?type=<script>alert(1)</script>", "?country=zz", "?page=abc", "?page=999", "?page=-1", "?country=%00"]
)
def test_directory_unknown_filters_never_fail(client, partners_section, query):
    PartnerPageFactory(parent=partners_section["index"], title="Alpha City", slug="alpha")
    response = client.get(f"/en/partners/{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert" not in body
    if "page" in query or "%00" in query:
        assert "Alpha City" in body  # the first page (a NUL is dropped: no filter)
    else:
        assert "No organisation matches these filters." in body


@pytest.mark.django_db
def test_directory_paginates(client, partners_section):
    for number in range(30):
        PartnerPageFactory(parent=partners_section["index"], title=f"Org {number:02d}", slug=f"org-{number}")
    first = soup(client.get("/en/partners/"))
    second = soup(client.get("/en/partners/?page=2"))
    assert len(first.select(".partner-list > li")) == 24
    assert len(second.select(".partner-list > li")) == 6
    assert first.select_one('a[rel="next"]')["href"] == "?page=2"


@pytest.mark.django_db
def test_profile_shows_type_country_website_topics_people(client, partners_section):
    partner = PartnerPageFactory(
        parent=partners_section["index"],
        title="Alpha City",
        slug="alpha",
        country="FR",
        website="https://alpha.example",
    )
    partner.topics.add(Topic.objects.create(name="Transport", slug="transport"))
    partner.save_revision().publish()
    PersonFactory(name="Ada Lovelace", role="CISO", organisation=partner)
    body = client.get("/en/partners/alpha/").content.decode()
    for text in ["Security research", "France", "https://alpha.example", "Transport", "Ada Lovelace", "CISO"]:
        assert text in body


# --- Contributors ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_contributors_board_first_marked_and_filter(client, partners_section):
    partner = PartnerPageFactory(parent=partners_section["index"], title="Alpha City", slug="alpha")
    PersonFactory(name="Zed Member", role="Researcher", sort_order=1)
    PersonFactory(name="Yan Board", role="Chair", organisation=partner, is_board_member=True, sort_order=2)
    PersonFactory(name="Xi Free", role="Engineer", organisation_name="Free Org", sort_order=3)
    html = soup(client.get("/en/contributors/"))
    names = [h.get_text(strip=True) for h in html.select(".person__name")]
    assert names == ["Yan Board", "Zed Member", "Xi Free"]
    board = html.select_one(".person--board")
    # Board members are listed first under their own heading (no badge repeating it on every card).
    assert board.find_parent("section").h2.get_text(strip=True) == "Board members"
    assert "Board member" not in board.get_text()
    assert board.select_one(".person__organisation a")["href"] == "/en/partners/alpha/"
    assert "Free Org" in html.get_text()
    board_only = soup(client.get("/en/contributors/?board=1"))
    assert [h.get_text(strip=True) for h in board_only.select(".person__name")] == ["Yan Board"]


@pytest.mark.django_db
def test_contributors_in_other_locale_use_translations_and_localised_links(client, partners_section):
    partner = PartnerPageFactory(parent=partners_section["index"], title="Alpha City", slug="alpha")
    translate_page(partner, codes=["es"])
    person = PersonFactory(name="Yan Board", role="Chair", organisation=partner, is_board_member=True)
    PersonFactory(name="Untranslated Person", role="Engineer")
    spanish = person.copy_for_translation(
        partners_section["index"]
        .get_translation(partners_section["index"].get_translations().get(locale__language_code="es").locale)
        .locale
    )
    spanish.role = "Presidenta"
    spanish.save()
    html = soup(client.get("/es/contributors/"))
    text = html.get_text()
    assert "Presidenta" in text and "Chair" not in text
    assert "Untranslated Person" in text  # falls back to the source language
    organisation = html.select_one(".person--board .person__organisation")
    assert organisation.a["href"] == "/es/partners/alpha/"
    # The organisation's name is its Spanish profile's title, not the English one (issue #13).
    assert organisation.get_text(strip=True) == "Alpha City (es)" and not organisation.has_attr("lang")


@pytest.mark.django_db
def test_an_organisation_without_a_translation_is_named_in_its_own_language(client, partners_section):
    partner = PartnerPageFactory(parent=partners_section["index"], title="Beta Works", slug="beta")
    PersonFactory(name="Ana Source", organisation=partner, is_board_member=True)
    organisation = soup(client.get("/es/contributors/")).select_one(".person__organisation")
    assert organisation.get_text(strip=True) == "Beta Works"
    assert organisation["lang"] == "en" and organisation["dir"] == "ltr"


# --- Query counts ------------------------------------------------------------------------------


def _add_organisations(index, start, stop):
    """Supporting organisations ``start`` to ``stop - 1``, one person each, every fifth on the board."""
    for n in range(start, stop):
        partner = PartnerPageFactory(
            parent=index, title=f"Org {n:03d}", slug=f"org-{n}", partner_type=PartnerType.SUPPORTING
        )
        PersonFactory(name=f"Person {n}", organisation=partner, is_board_member=n % 5 == 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("small", "large"), [pytest.param(30, 60, id="30-60"), pytest.param(30, 200, id="30-200", marks=pytest.mark.slow)]
)
def test_query_counts_do_not_grow(client, partners_section, small, large):
    index = partners_section["index"]
    _add_organisations(index, 0, small)
    # About 10 queries are the base template's: site, routing, translations, menu, labels, footer.
    caps = {
        "/en/partners/": 16,
        "/en/partners/org-0/": 18,
        "/en/contributors/": 16,
        "/es/contributors/": 18,
        "/en/": 22,  # with the newest articles and the next events (none here)
    }
    before = query_counts(client, caps)
    _add_organisations(index, small, large)
    after = query_counts(client, caps)
    assert after == before
    for url, cap in caps.items():
        assert before[url] <= cap, (url, before[url])
    assert len(soup(client.get("/en/contributors/")).select(".person")) == large


# --- Home page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_shows_board_and_supporting_organisations(client, partners_section):
    supporter = PartnerPageFactory(
        parent=partners_section["index"], title="Gamma Fund", slug="gamma", partner_type=PartnerType.SUPPORTING
    )
    PersonFactory(name="Yan Board", role="Chair", organisation=supporter, is_board_member=True)
    PersonFactory(name="Not Board", role="Engineer")
    html = soup(client.get("/en/"))
    assert "Yan Board" in html.get_text() and "Not Board" not in html.get_text()
    assert html.select_one(".home-partners .logo-list a")["href"] == "/en/partners/gamma/"
