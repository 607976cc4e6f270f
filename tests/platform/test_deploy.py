"""The Dockerfile and compose file agree with the app's CLI and configuration.

Docker cannot run here, so this checks what would break a deployment silently: every
`smartrunning …` command they run parses with our CLI, every environment name they set
is a setting the app reads, the ports line up, and the image ships the same front-end
assets as `make assets`.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from smartrunning.platform.config import Settings
from tests.platform.deploy_files import ROOT, SETTINGS, dockerfile, parse

NOT_OURS = {"PYTHONUNBUFFERED", "UV_PYTHON_DOWNLOADS", "UV_PROJECT_ENVIRONMENT", "PATH"}


def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def app_services() -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose()["services"].items()
        if service.get("image", "").startswith("smartrunning")
    }


def smartrunning_commands(command: list[str]) -> list[list[str]]:
    """The `smartrunning …` invocations in a compose command (plain or `sh -c "a && b"`)."""
    if command[:2] == ["sh", "-c"]:
        parts = [shlex.split(part) for part in command[2].split("&&")]
        return [part[1:] if part[:1] == ["exec"] else part for part in parts]
    return [command]


def test_compose_runs_web_and_workers_from_the_app_image() -> None:
    services = app_services()
    assert {"web", "worker"} <= set(services)
    assert {"db", "redis"} <= set(compose()["services"])


@pytest.mark.parametrize("service", ["web", "worker"])
def test_compose_commands_parse_with_our_cli(service: str) -> None:
    for args in smartrunning_commands(app_services()[service]["command"]):
        context = parse(args)
        assert context.command.name in {"init", "serve", "worker"}


@pytest.mark.parametrize("service", ["web", "worker"])
def test_compose_long_running_process_receives_sigterm(service: str) -> None:
    """`docker compose stop` sends SIGTERM to PID 1. A shell running `a && b` keeps PID 1
    and does not forward the signal, so the server would be killed after the grace period
    instead of finishing its requests: the last command must replace the shell (`exec`)."""
    command = app_services()[service]["command"]
    if command[:2] == ["sh", "-c"]:
        last = shlex.split(command[2].split("&&")[-1])
        assert last[:2] == ["exec", "smartrunning"], command
    else:
        assert command[0] == "smartrunning", command


def test_compose_environment_names_are_settings() -> None:
    for name, service in app_services().items():
        unknown = set(service["environment"]) - SETTINGS
        assert not unknown, f"{name} sets variables the app does not read: {unknown}"
    web = app_services()["web"]["environment"]
    assert web["SMARTRUNNING_ENV"] == "production"
    assert web["DATABASE_URL"].startswith("postgresql://")
    assert web["REDIS_URL"].startswith("redis://redis:6379")


def test_ports_line_up() -> None:
    web = app_services()["web"]
    serve = next(a for a in smartrunning_commands(web["command"]) if a[1] == "serve")
    port = parse(serve).params["port"]
    assert web["ports"] == [f"{port}:{port}"]
    assert f"EXPOSE {port}" in dockerfile()
    assert Settings.model_fields["port"].default == port


def test_dockerfile_cmd_and_env_match_the_app() -> None:
    text = dockerfile()
    cmd = re.search(r"^CMD (\[.*\])$", text, re.MULTILINE)
    assert cmd
    context = parse(yaml.safe_load(cmd.group(1)))
    assert context.command.name == "serve"
    env_block = re.search(r"^ENV (.*?)(?=^\S)", text, re.MULTILINE | re.DOTALL)
    assert env_block
    names = set(re.findall(r"([A-Z_]+)=", env_block.group(1)))
    assert names - NOT_OURS <= SETTINGS, names - NOT_OURS - SETTINGS


def test_image_ships_the_same_assets_as_make() -> None:
    makefile = (ROOT / "Makefile").read_text()
    wanted = {
        Path(p).name for p in re.findall(r"node_modules/\S+", makefile) if not p.endswith(".map")
    }
    shipped = {Path(p).name for p in re.findall(r"node_modules/\S+", dockerfile())}
    assert wanted == shipped
