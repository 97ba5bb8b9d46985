"""The README's Deploy section stays true: its commands are deploy/commands (which the production
smoke test runs), and every environment variable the settings and deploy/ read is documented."""

import re
from pathlib import Path

import pytest

from django.conf import settings

from deploy import render

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


@pytest.mark.parametrize("s3", [False, True])
def test_rendered_nginx_serves_the_roots_of_the_environment_it_is_given(tmp_path, s3):
    # The smoke test renders for its own folders while the caller's process has other settings:
    # every path must come from the environment passed in, never from the caller's os.environ.
    env = {
        "HUB_STATIC_ROOT": str(tmp_path / "static-root"),
        "HUB_MEDIA_ROOT": str(tmp_path / "media-root"),
        "HUB_APP_SERVERS": "127.0.0.1:9001",
    }
    if s3:
        env.update(HUB_MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="hub-media", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000")
    render.render_nginx_local(tmp_path / "out", "127.0.0.1:9080", env)
    server = (tmp_path / "out" / "server.conf").read_text()
    assert f"alias {tmp_path / 'static-root'}/;" in server
    assert (f"alias {tmp_path / 'media-root'}/images/;" in server) is not s3
    assert str(render.BASE_DIR / "static") not in server
