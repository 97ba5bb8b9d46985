"""The README's Deploy section stays true: its commands are deploy/commands (which the production
smoke test runs), and every environment variable the settings and deploy/ read is documented."""

import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
README = (BASE_DIR / "README.md").read_text()


def test_the_readme_shows_deploy_commands_as_they_are():
    script = (BASE_DIR / "deploy" / "commands").read_text()
    commands = script.split('cd "$(dirname "$0")/.."\n', 1)[1].strip("\n")
    deploy = README.split("## Deploy", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", deploy, re.S)
    assert commands in blocks, "README's release block differs from deploy/commands: copy the script's commands into it"


def variables_read(path):
    text = path.read_text()
    patterns = [
        r"os\.environ\.get\(\s*\"([A-Z][A-Z0-9_]+)\"",
        r"os\.environ\[\"([A-Z][A-Z0-9_]+)\"\]",
        r"\benv\.get\(\s*\"([A-Z][A-Z0-9_]+)\"",
        r"\benv\[\"([A-Z][A-Z0-9_]+)\"\]",
        r"require_env\(\s*\"([A-Z][A-Z0-9_]+)\"",
        r"env_list\(\s*\"([A-Z][A-Z0-9_]+)\"",
        r"\$\{([A-Z][A-Z0-9_]+)[:}]",
    ]
    return {name for pattern in patterns for name in re.findall(pattern, text)}


def test_every_environment_variable_is_in_the_readme():
    sources = [*(BASE_DIR / "hub" / "settings").glob("*.py"), *(BASE_DIR / "deploy").glob("*.py")]
    sources += [BASE_DIR / "deploy" / name for name in ("build", "commands", "smoke-test")]
    internal = {"HUB_RUN_DIR", "PYTHON", "HOST", "PORT"}  # set by make serve itself, or make's own knobs
    read = set().union(*(variables_read(path) for path in sources)) - internal
    assert "HUB_MEDIA_STORAGE" in read and "SECRET_KEY" in read, "the scan finds the variables"
    missing = sorted(name for name in read if f"`{name}`" not in README)
    assert missing == [], f"not documented in the README: {missing}"
