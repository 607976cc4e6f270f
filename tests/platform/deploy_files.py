"""The deployment files (Dockerfile, compose, Kubernetes manifests) as the deploy tests read
them, and our CLI's parser for the commands they run."""

from __future__ import annotations

from pathlib import Path

import click

from smartrunning.cli import main
from smartrunning.platform.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {field.alias for field in Settings.model_fields.values()}
"""The environment names the app reads."""


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def parse(args: list[str]) -> click.Context:
    """Parse a command line with our CLI, as click would before running it."""
    assert args[0] == "smartrunning", args
    group_context = main.make_context("smartrunning", list(args[1:]), resilient_parsing=True)
    name, command, rest = main.resolve_command(group_context, list(args[1:]))
    assert command is not None, f"unknown command {name}"
    return command.make_context(name or "", rest, parent=group_context)
