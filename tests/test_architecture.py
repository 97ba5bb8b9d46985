"""The shape of the code: one-way app graph, no hidden imports or look-ups by name, no demo in production.

The graph itself is import-linter's job (contracts in pyproject.toml, run by ``make test`` and
below); these tests add what import-linter cannot see: imports hidden inside functions and models
fetched by name through the app registry.
"""

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", ".git", "tests", "migrations", "media", "media-test", "static", "node_modules", "__pycache__"}
# Top-level packages of this repository: an import of one of them (or a relative import) is a
# project import.
PROJECT_PACKAGES = {path.parent.name for path in ROOT.glob("*/__init__.py")}

# Known exceptions (none): the test fails when an entry no longer matches anything.
PENDING = set()


def runtime_files():
    """Every .py file that runs in the site or its commands: all but tests, migrations and the virtualenv."""
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [name for name in subdirectories if name not in SKIPPED_DIRS]
        for name in files:
            if name.endswith(".py"):
                yield Path(directory) / name


def imported_modules(node, package):
    """The absolute names a (possibly relative) import statement refers to."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        return [".".join([*base, node.module] if node.module else base)]
    return [node.module or ""]


def is_app_config_ready(function, parent):
    """True for ``ready()`` defined on an AppConfig subclass: the one place Django expects late imports."""
    if function.name != "ready" or not isinstance(parent, ast.ClassDef):
        return False
    bases = [base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "") for base in parent.bases]
    return any(name.endswith("AppConfig") for name in bases)


class Finder(ast.NodeVisitor):
    """Collects function-level project imports and registry look-ups by name in one module."""

    def __init__(self, package):
        self.package = package
        self.scopes = []  # (function node, its parent) from the outside in
        self.parent = None
        self.problems = []

    def visit_ClassDef(self, node):
        previous, self.parent = self.parent, node
        self.generic_visit(node)
        self.parent = previous

    def visit_FunctionDef(self, node):
        self.scopes.append((node, self.parent))
        previous, self.parent = self.parent, node
        self.generic_visit(node)
        self.parent = previous
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node):
        if self.scopes and not is_app_config_ready(*self.scopes[-1]):
            for module in imported_modules(node, self.package):
                if module.split(".")[0] in PROJECT_PACKAGES:
                    self.problems.append((node.lineno, f"function-level import of {module}"))

    visit_ImportFrom = visit_Import

    def visit_Call(self, node):
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr == "get_model":
            receiver = function.value
            # A registry handed in as an argument (RunPython's or post_migrate's ``apps``) holds the
            # historical models and is the right one to ask; the global registry is a look-up by name.
            parameters = {arg.arg for scope, _parent in self.scopes for arg in scope.args.args + scope.args.kwonlyargs}
            if not (isinstance(receiver, ast.Name) and receiver.id in parameters):
                self.problems.append((node.lineno, "apps.get_model"))
        self.generic_visit(node)


def problems_in(path):
    relative = path.relative_to(ROOT)
    package = ".".join(relative.with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    finder = Finder(package)
    finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return [(relative.as_posix(), line, problem) for line, problem in finder.problems]


def all_problems():
    return [problem for path in runtime_files() for problem in problems_in(path)]


def test_no_hidden_imports_or_lookups_by_name():
    """Dependencies are visible at the top of each module, where import-linter checks them."""
    found = all_problems()
    unexpected = [(path, line, problem) for path, line, problem in found if (path, problem) not in PENDING]
    assert not unexpected, "\n".join(f"{path}:{line}: {problem}" for path, line, problem in unexpected)
    stale = PENDING - {(path, problem) for path, _line, problem in found}
    assert not stale, f"fixed, remove from PENDING: {sorted(stale)}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n    from hub.models import Topic\n", "function-level import of hub.models"),
        ("def f():\n    from .models import Person\n", "function-level import of partners.models"),
        ("def f():\n    import events.calendar\n", "function-level import of events.calendar"),
        ("from django.apps import apps\nX = apps.get_model('partners', 'Person')\n", "apps.get_model"),
        ("def f(sender, **kw):\n    from django.apps import apps\n    apps.get_model('a.B')\n", "apps.get_model"),
    ],
)
def test_the_finder_catches_what_it_forbids(source, expected):
    """The check above is only as good as the finder: it must flag each forbidden shape."""
    finder = Finder("partners")
    finder.visit(ast.parse(source))
    assert [problem for _line, problem in finder.problems] == [expected]


@pytest.mark.parametrize(
    "source",
    [
        "from hub.models import Topic\n",
        "def f():\n    from django.conf.urls.static import static\n",
        "from django.apps import AppConfig\nclass C(AppConfig):\n    def ready(self):\n        from . import signals\n",
        "def forwards(apps, schema_editor):\n    apps.get_model('partners', 'Person')\n",
    ],
)
def test_the_finder_allows_what_is_fine(source):
    finder = Finder("partners")
    finder.visit(ast.parse(source))
    assert finder.problems == []


def test_only_the_demo_app_imports_the_demo_app():
    """Runtime code never depends on demo content, so production can leave the demo app out."""
    importers = []
    for path in runtime_files():
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "demo":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module]
                importers += [f"{relative}:{node.lineno}" for name in names if name.split(".")[0] == "demo"]
    assert importers == []


def test_production_settings_do_not_install_the_demo_app():
    """Imported as a server would, with the variables production requires."""
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "hub.example.org",
        "WAGTAILADMIN_BASE_URL": "https://hub.example.org",
    }
    env.pop("DEBUG", None)
    script = "import json, hub.settings.production as s; print(json.dumps(s.INSTALLED_APPS))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    installed = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"hub", "home", "partners", "articles", "events", "registrations"} <= set(installed)
    assert not [app for app in installed if app.split(".")[0] == "demo"]


def test_import_contracts_are_configured_and_kept():
    """The one-way app graph of the README, as import-linter contracts, holds."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contracts = {contract["id"]: contract for contract in config["contracts"]}
    assert contracts["layers"]["layers"][-1] == "hub"  # the foundation is below every feature app
    layers = [layer.replace(" ", "").split("|") for layer in contracts["layers"]["layers"]]
    assert layers[0] == ["(demo)"]  # demo content may use every app; nothing may use it
    assert {"articles", "events"} <= set(layers[2])
    assert layers[1] == ["registrations"]  # registrations sits on events; only demo imports it
    assert contracts["home-alone"]["source_modules"] == ["home"]
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
