"""Small helpers for reading rendered pages the way a visitor or crawler would."""

from bs4 import BeautifulSoup


def soup(response):
    """Parse a response body."""
    return BeautifulSoup(response.content.decode(), "html.parser")


def hreflang_links(response):
    """``{hreflang: href}`` of the page's alternate links."""
    return {link["hreflang"]: link["href"] for link in soup(response).select('link[rel="alternate"][hreflang]')}


def switcher_links(response):
    """``{language_code: href}`` of the language switcher."""
    return {a["hreflang"]: a["href"] for a in soup(response).select(".language-switcher a")}
