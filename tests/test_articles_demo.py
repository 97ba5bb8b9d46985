"""The demo article library: kinds, topics, authors, valid PDFs and translations."""

import pytest

from articles.models import ArticleKind, ArticlePage
from hub.demo import is_translated


@pytest.mark.django_db
def test_demo_articles(client, demo_content):
    articles = ArticlePage.objects.filter(locale__language_code="en", alias_of__isnull=True)
    assert articles.count() >= 8
    assert {a.kind for a in articles} == set(ArticleKind.values)
    assert all(a.tagged_items.exists() and a.authors.exists() for a in articles)
    guideline = articles.get(slug="cyber-security-guidelines-for-smart-city-technology-adoption")
    assert articles.filter(slug="role-of-information-security-in-a-smart-city-department", kind="guideline").exists()
    translated = [a for a in articles if all(is_translated(a, code) for code in ("es", "fr", "ar"))]
    assert len(translated) >= 3
    download = guideline.downloads.get()
    response = client.get(download.document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert (
        'filename="cyber-security-guidelines-for-smart-city-technology-adoption.pdf"' in response["Content-Disposition"]
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
    # The cross-reference table points at the objects it names.
    startxref = int(body.rsplit(b"startxref", 1)[1].split()[0])
    assert body[startxref:].startswith(b"xref")
    spanish = client.get("/es/articles/cyber-security-guidelines-for-smart-city-technology-adoption/")
    assert "Guía de ciberseguridad" in spanish.content.decode()
    assert "Guía (PDF)" in spanish.content.decode()
    menu = client.get("/ar/").content.decode()
    assert "/ar/articles/" in menu and "المقالات" in menu
