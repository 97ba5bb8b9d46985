"""Interface strings: every string marked for translation in our templates and Python code has a
translation in every enabled language, and no catalogue holds empty or fuzzy entries.

Extraction is done here in pure Python (Django's templatize + tokenize, and ast), so the check
runs without system gettext."""

import ast
import io
import tokenize
from pathlib import Path

import polib
import pytest

from django.conf import settings
from django.utils.translation.template import templatize

BASE_DIR = Path(settings.BASE_DIR)
SOURCE_DIRS = ["hub", "home", "partners", "articles", "events", "registrations", "groups", "digests"]
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
SINGULAR = {"gettext", "gettext_lazy", "_", "gettext_noop"}
CONTEXT = {"pgettext", "pgettext_lazy"}
PLURAL = {"ngettext", "ngettext_lazy"}
CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}


def _msgid(name, args):
    """(context, msgid) of a gettext call, or None when its message is not a literal."""
    if name in SINGULAR and args:
        return ("", args[0])
    if name in PLURAL and args:
        return ("", args[0])
    if name in CONTEXT and len(args) >= 2:
        return (args[0], args[1])
    if name in CONTEXT_PLURAL and len(args) >= 2:
        return (args[0], args[1])
    return None


def _calls_in_tokens(code):
    """gettext calls with literal arguments in code that need not be valid Python."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type != tokenize.NL]
    found = []
    names = SINGULAR | CONTEXT | PLURAL | CONTEXT_PLURAL
    for index, token in enumerate(tokens[:-1]):
        if token.type == tokenize.NAME and token.string in names and tokens[index + 1].string == "(":
            args, depth = [], 0
            for inner in tokens[index + 1 :]:
                if inner.string == "(":
                    depth += 1
                elif inner.string == ")":
                    depth -= 1
                    if depth == 0:
                        break
                elif inner.type == tokenize.STRING and depth == 1:
                    args.append(ast.literal_eval(inner.string))
            message = _msgid(token.string, args)
            if message:
                found.append(message)
    return found


def _calls_in_python(path):
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if len(args) == len(node.args) or name in SINGULAR | CONTEXT:
                message = _msgid(name, args)
                if message:
                    found.append(message)
    return found


def source_messages():
    """``{(context, msgid): first place it is used}`` for our templates and Python modules."""
    messages = {}
    for directory in SOURCE_DIRS:
        root = BASE_DIR / directory
        for path in sorted(root.rglob("*")):
            # Judge the path below the project only: a checkout may itself live in a "tests" folder.
            parts = path.relative_to(BASE_DIR).parts
            if "migrations" in parts or "tests" in parts or not path.is_file():
                continue
            if path.suffix == ".py":
                found = _calls_in_python(path)
            elif path.suffix in {".html", ".txt"}:
                found = _calls_in_tokens(templatize(path.read_text(), origin=str(path)))
            else:
                continue
            for message in found:
                messages.setdefault(message, str(path.relative_to(BASE_DIR)))
    return messages


def catalogues(language):
    """Every catalogue of the project for ``language``."""
    paths = [BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"]
    paths += [BASE_DIR / app / "locale" / language / "LC_MESSAGES" / "django.po" for app in SOURCE_DIRS]
    return [polib.pofile(str(path)) for path in paths if path.exists()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated(language):
    translated = {}
    for catalogue in catalogues(language):
        for entry in catalogue:
            if entry.translated() and "fuzzy" not in entry.flags:
                translated[(entry.msgctxt or "", entry.msgid)] = True
    missing = [
        f"{where}: {msgid!r}" for (ctx, msgid), where in source_messages().items() if (ctx, msgid) not in translated
    ]
    assert missing == [], f"{len(missing)} string(s) lack a {language} translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_have_no_empty_or_fuzzy_entries(language):
    problems = []
    for catalogue in catalogues(language):
        for entry in catalogue:
            if entry.obsolete:
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                problems.append(f"{catalogue.fpath}: {entry.msgid!r}")
    assert problems == []


def test_extractor_finds_known_strings():
    messages = source_messages()
    assert ("", "Skip to main content") in messages
    assert ("", "hero heading") in messages
