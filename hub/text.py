"""Language-aware text helpers for the site search: folding, stemming, stop words and highlighting.

Stemming is Snowball's (the ``snowballstemmer`` package, pure Python) in the language of the text:
English, Spanish, French and Arabic all have a stemmer, so every database gets the same
per-language matching (see "Search" in the README). Text is folded before it is stemmed —
case, accents and Arabic letter variants removed — so ``securite`` finds ``sécurité`` and
``امن`` finds ``الأمن``.
"""

import re
import unicodedata
from functools import cache, lru_cache

import snowballstemmer

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from wagtail.search.query import And, Or, PlainText

STEMMERS = {"en": "english", "es": "spanish", "fr": "french", "ar": "arabic"}
WORD = re.compile(r"\w+")
# Arabic letter variants readers type interchangeably, and the tatweel (a stretching stroke).
ARABIC_FOLDS = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None})

# Short function words that say nothing about a page: left out of matching and highlighting.
STOP_WORDS = {
    "en": "a an and are as at be by for from has how in is it its of on or that the this to was what why with",
    "es": "a al como con de del el en es la las lo los para por que se su sus un una y",
    "fr": "a au aux avec ce ces d dans de des du en est et l la le les pour qu que qui sur un une",
    "ar": "في من إلى الى على عن مع أن ان و أو او هذا هذه التي الذي ما",
}


def _nonspacing_marks():
    """A ``str.translate`` table deleting every non-spacing mark (category Mn: accents, Arabic vowel
    signs), so folding runs in C rather than character by character in Python (ranking a search
    folds the text of every candidate: hundreds of thousands of characters at 10,000 articles)."""
    planes = (range(0x30000), range(0xE0000, 0xE1000))  # no Mn elsewhere (tags and variation selectors)
    return {code: None for plane in planes for code in plane if unicodedata.category(chr(code)) == "Mn"}


NONSPACING_MARKS = _nonspacing_marks()


def fold(text):
    """``text`` without case, accents or Arabic letter variants: the form both sides are compared in."""
    if text.isascii():
        return text.lower()  # the same as below for ASCII, without the work
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", decomposed.translate(NONSPACING_MARKS)).translate(ARABIC_FOLDS)


@cache
def _stemmer(language):
    name = STEMMERS.get((language or "").split("-")[0])
    return snowballstemmer.stemmer(name) if name else None


@cache
def _stop_words(language):
    return frozenset(fold(word) for word in STOP_WORDS.get((language or "").split("-")[0], "").split())


def words(text):
    """The folded words of ``text`` in order (apostrophes and punctuation separate words)."""
    return WORD.findall(fold(text or ""))


@lru_cache(maxsize=100_000)
def stem(word, language):
    """The stem of one folded word in ``language`` (the word itself where there is no stemmer).

    Memoised: Snowball in pure Python costs ~0.2 ms a word, and ranking a search stems every word
    of its candidates' texts (20,000 words at 10,000 articles); the vocabulary repeats.
    """
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer else word


def is_stop_word(word, language):
    return word in _stop_words(language) or len(word) < 2


def stems(text, language):
    """Stems of the meaningful words of ``text`` in order, stop words left out."""
    return [stem(word, language) for word in words(text) if not is_stop_word(word, language)]


def stems_text(text, language):
    """The distinct stems of ``text`` as one space-separated string, for the search index."""
    return " ".join(dict.fromkeys(stems(text, language)))


# What a match other than the same word counts for (see ``Query.coverage``).
STEM_MATCH = 0.7
PREFIX_MATCH = 0.6


class Query:
    """A visitor's query analysed once: its words, their stems and the prefixes of short words.

    ``matches(word)`` tells whether a folded word of a page answers one of the query's terms: same
    stem, or (for a query of one word) the query word is the beginning of it, so ``guidel`` finds
    "guidelines".
    """

    def __init__(self, text, language):
        self.text = text
        self.language = language
        self.words = [word for word in words(text) if not is_stop_word(word, language)] or words(text)
        self.term_stems = [stem(word, language) for word in self.words]
        self.stems = list(dict.fromkeys(self.term_stems))
        # A single word may be the beginning of one (typing "guidel" for "guidelines").
        self.prefixes = [word for word in self.words if len(self.words) == 1 and len(word) >= 4]

    def __bool__(self):
        return bool(self.words)

    def backend_query(self):
        """What to ask the search backend: every meaningful word, each as typed, folded or stemmed.

        ``Or`` inside a word lets the index's text (stemmed by the database's own rules) or the page's
        Snowball stems (``BasePage.search_stems``) answer it; ``And`` between words keeps results
        precise ("camera firmware" never finds a page about camera mounts only).
        """
        typed = {fold(word): word.casefold() for word in WORD.findall(self.text)}
        terms = []
        for word, word_stem in zip(self.words, self.term_stems, strict=True):
            forms = list(dict.fromkeys([typed.get(word, word), word, word_stem]))
            terms.append(Or([PlainText(form) for form in forms]) if len(forms) > 1 else PlainText(forms[0]))
        return And(terms) if len(terms) > 1 else terms[0]

    def matches(self, word, language=None):
        """True when the folded ``word`` (in ``language``, default the query's) answers a term."""
        if stem(word, language or self.language) in self.stems or stem(word, self.language) in self.stems:
            return True
        return any(word.startswith(prefix) for prefix in self.prefixes)

    def coverage(self, text, language=None):
        """How much of the query ``text`` holds, from 0 to 1: each term counts fully for the same word,
        ``STEM_MATCH`` for another word of the same stem ("secure" for "security") and
        ``PREFIX_MATCH`` for a word it begins."""
        if not self.words:
            return 0.0
        best = dict.fromkeys(range(len(self.words)), 0.0)
        languages = {language or self.language, self.language}
        found = 0  # terms matched by the same word: nothing can raise them, and all of them ends the search
        for word in set(words(text)):
            word_stems = {stem(word, code) for code in languages}
            for position, term in enumerate(self.words):
                if best[position] == 1.0:
                    continue
                if word == term:
                    best[position] = 1.0
                    found += 1
                elif self.term_stems[position] in word_stems:
                    best[position] = max(best[position], STEM_MATCH)
                elif term in self.prefixes and word.startswith(term):
                    best[position] = max(best[position], PREFIX_MATCH)
            if found == len(self.words):
                break
        return sum(best.values()) / len(self.words)

    def hits(self, text, language=None):
        """How many words of ``text`` answer a term."""
        return sum(1 for word in words(text) if self.matches(word, language))

    def is_exact(self, text):
        """True when ``text`` is the query itself (ignoring case, accents and punctuation)."""
        return words(text) == words(self.text)


def highlight(text, query, language=None, length=40):
    """An excerpt of ``text`` of about ``length`` words around the first match, matches in ``<mark>``.

    Escaped like any template value; returns '' for empty text.
    """
    if not text:
        return ""
    tokens = list(WORD.finditer(text))
    if not tokens:
        return conditional_escape(text)
    matched = [query.matches(fold(token.group()), language) for token in tokens]
    first = matched.index(True) if any(matched) else 0
    start_token = max(0, first - length // 4)
    end_token = min(len(tokens), start_token + length)
    start = tokens[start_token].start() if start_token else 0
    end = tokens[end_token - 1].end() if end_token < len(tokens) else len(text)
    pieces = ["… " if start else ""]
    position = start
    for token, is_match in zip(tokens[start_token:end_token], matched[start_token:end_token], strict=True):
        pieces.append(conditional_escape(text[position : token.start()]))
        word = conditional_escape(token.group())
        pieces.append(format_html("<mark>{}</mark>", word) if is_match else word)
        position = token.end()
    pieces.append(conditional_escape(text[position:end]))
    if end < len(text):
        pieces.append(" …")
    return mark_safe("".join(str(piece) for piece in pieces))  # noqa: S308 - every piece escaped above
