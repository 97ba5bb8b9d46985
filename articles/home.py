"""The articles app's section of the home page: the newest work in the visitor's language (``hub.registry``)."""

from django.template.loader import render_to_string

from wagtail.models import Locale

from .models import ArticleIndexPage, ArticleKind, ArticlePage

HOME_ARTICLES = 3


def home_articles(request):
    """The newest guideline as the feature, and the newest other articles of the visitor's language
    (untranslated ones marked).

    A fixed number of queries: the index, the newest articles and the newest guideline with their
    images' renditions.
    """
    locale = Locale.get_active()
    index = ArticleIndexPage.objects.live().filter(locale=locale).first()
    articles = ArticlePage.objects.published().in_locale(locale).newest_first().for_home()
    latest = list(articles[: HOME_ARTICLES + 1])
    guideline = next((article for article in latest if article.kind == ArticleKind.GUIDELINE), None)
    if guideline is None:
        guideline = articles.of_kind(ArticleKind.GUIDELINE).first()
    others = [article for article in latest if article != guideline][:HOME_ARTICLES]
    context = {"request": request, "articles": others, "guideline": guideline, "index_page": index}
    return render_to_string("articles/includes/home_articles.html", context)
