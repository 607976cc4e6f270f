"""The Kubernetes manifests (deploy/kubernetes) render, validate and agree with the app.

No cluster runs here, so this checks what would break an installation: every overlay
renders with ``kubectl kustomize`` (as ``kubectl apply -k`` would) once its secrets.env is
made from the example; every object validates against the Kubernetes API schemas offline
(kubernetes-validate, strict: an unknown field fails); the ``smartrunning …`` commands
parse with our CLI, the environment names are settings, ports, probe paths and Service,
Ingress and in-cluster database URLs line up; the grace periods cover the graceful stops;
the pods run unprivileged. And the Dockerfile passes hadolint.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

from smartrunning.app import create_app
from smartrunning.platform.queue import WORKER_STOP_TIMEOUT_S
from smartrunning.platform.serve import GRACEFUL_TIMEOUT_S
from tests.platform.deploy_files import ROOT, SETTINGS, dockerfile, parse
from tests.settings import make_settings

KUBE = ROOT / "deploy" / "kubernetes"
OVERLAYS = sorted(p.name for p in (KUBE / "overlays").iterdir() if p.is_dir())
BIN = Path(sys.executable).parent  # kubectl and hadolint: dev dependencies (pyproject)
KUBERNETES_VERSIONS = ["1.30", latest_version()]
HELPERS = {"POSTGRES_PASSWORD"}
"""Variables the app does not read: the password PostgreSQL is created with, expanded by
Kubernetes into DATABASE_URL."""


@dataclass
class Rendered:
    overlay: str
    objects: list[dict[str, Any]]

    def all(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects if o["kind"] == kind]

    def one(self, kind: str, name: str) -> dict[str, Any]:
        (found,) = [o for o in self.all(kind) if o["metadata"]["name"] == name]
        return found

    def named(self, kind: str, prefix: str) -> dict[str, Any]:
        """A generated object (ConfigMap, Secret) by its name before the hash suffix."""
        (found,) = [o for o in self.all(kind) if o["metadata"]["name"].startswith(prefix)]
        return found

    def pod_templates(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return [
            (o, o["spec"]["template"]["spec"])
            for o in self.objects
            if o["kind"] in {"Deployment", "StatefulSet", "Job"}
        ]

    def app_containers(self) -> dict[str, dict[str, Any]]:
        """The containers running our image, by their object's name."""
        return {
            o["metadata"]["name"]: container
            for o, pod in self.pod_templates()
            for container in pod["containers"]
            if container["image"].rpartition("/")[2].startswith("smartrunning")
        }

    def environment(self, container: dict[str, Any]) -> dict[str, str]:
        """What the container's process sees: its ConfigMap and Secret, then its env."""
        values: dict[str, str] = {}
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                config = self.one("ConfigMap", source["configMapRef"]["name"])
                values.update(config["data"])
            else:
                secret = self.one("Secret", source["secretRef"]["name"])
                values.update({k: base64.b64decode(v).decode() for k, v in secret["data"].items()})
        for variable in container.get("env", []):
            values[variable["name"]] = variable.get("value", "<from a reference>")
        return values


@pytest.fixture(scope="module")
def render(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Rendered]:
    """``kubectl kustomize`` of an overlay, its secrets.env made from the example as an
    operator would (in a copy: the real one is never in the repository); once each."""
    done: dict[str, Rendered] = {}

    def run(overlay: str) -> Rendered:
        if overlay not in done:
            copy = tmp_path_factory.mktemp("kubernetes") / "kubernetes"
            shutil.copytree(KUBE, copy)
            folder = copy / "overlays" / overlay
            shutil.copy(folder / "secrets.env.example", folder / "secrets.env")
            result = subprocess.run(
                [str(BIN / "kubectl"), "kustomize", str(folder)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert result.returncode == 0, result.stderr
            objects = [o for o in yaml.safe_load_all(result.stdout) if o]
            done[overlay] = Rendered(overlay, objects)
        return done[overlay]

    return run


@pytest.fixture(params=OVERLAYS)
def rendered(request: pytest.FixtureRequest, render: Callable[[str], Rendered]) -> Rendered:
    return render(request.param)


def test_the_overlays_are_those_the_readme_documents() -> None:
    assert OVERLAYS == ["managed", "small-cluster"]
    readme = (ROOT / "README.md").read_text()
    for overlay in OVERLAYS:
        assert f"deploy/kubernetes/overlays/{overlay}" in readme


def test_an_overlay_has_what_an_installation_needs(rendered: Rendered) -> None:
    kinds = {(o["kind"], o["metadata"]["name"]) for o in rendered.objects}
    assert {
        ("Deployment", "smartrunning-web"),
        ("Deployment", "smartrunning-worker"),
        ("Job", "smartrunning-init"),
        ("Service", "smartrunning-web"),
        ("Ingress", "smartrunning"),
        ("HorizontalPodAutoscaler", "smartrunning-web"),
        ("PodDisruptionBudget", "smartrunning-web"),
        ("PodDisruptionBudget", "smartrunning-worker"),
    } <= kinds
    if rendered.overlay == "small-cluster":
        assert {("StatefulSet", "postgres"), ("StatefulSet", "redis")} <= kinds
    else:
        assert not rendered.all("StatefulSet")
    namespaced = [o for o in rendered.objects if o["kind"] != "Namespace"]
    assert {o["metadata"].get("namespace") for o in namespaced} == {"smartrunning"}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_objects_validate_against_the_kubernetes_schemas(rendered: Rendered, version: str) -> None:
    for manifest in rendered.objects:
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = ".".join(str(part) for part in error.path)
            name = f"{manifest['kind']}/{manifest['metadata']['name']}"
            pytest.fail(f"{name} on Kubernetes {version}: {where}: {error.message}")


def test_commands_parse_with_our_cli(rendered: Rendered) -> None:
    commands = {
        name: parse(container["command"]).command.name
        for name, container in rendered.app_containers().items()
    }
    assert commands == {
        "smartrunning-web": "serve",
        "smartrunning-worker": "worker",
        "smartrunning-init": "init",
    }
    images = {c["image"] for c in rendered.app_containers().values()}
    assert len(images) == 1, images


def test_ports_and_probes_line_up_with_the_app(rendered: Rendered, tmp_path: Path) -> None:
    web = rendered.app_containers()["smartrunning-web"]
    serve = parse(web["command"])
    ports = {p["name"]: p["containerPort"] for p in web["ports"]}
    assert ports == {"http": serve.params["port"]}
    assert serve.params["host"] == "0.0.0.0"  # noqa: S104 (the pod's address)

    urls = create_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")).url_map
    endpoints = {}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        check = web[probe]["httpGet"]
        assert check["port"] in ports
        endpoints[probe], _args = urls.bind("localhost").match(check["path"])
    assert endpoints == {
        "startupProbe": "health.livez",
        "readinessProbe": "health.readyz",
        "livenessProbe": "health.livez",
    }

    service = rendered.one("Service", "smartrunning-web")
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]
    service_ports = {p["name"] for p in service["spec"]["ports"]}
    for rule in rendered.one("Ingress", "smartrunning")["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == "smartrunning-web"
            assert backend["port"]["name"] in service_ports


def test_environment_names_are_settings(rendered: Rendered) -> None:
    for name, container in rendered.app_containers().items():
        environment = rendered.environment(container)
        unknown = set(environment) - SETTINGS - HELPERS
        assert not unknown, f"{name} sets variables the app does not read: {unknown}"
        # Several pods share one database and one queue: never the SQLite defaults.
        assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= set(environment), name
        assert environment["SMARTRUNNING_ENV"] == "production"
        assert urlsplit(environment["DATABASE_URL"]).scheme == "postgresql"
        assert urlsplit(environment["REDIS_URL"]).scheme == "redis"
        for variable in container.get("env", []):
            for reference in re.findall(r"\$\((\w+)\)", variable.get("value", "")):
                # Kubernetes expands $(NAME) only from variables the container has.
                assert reference in environment, (name, reference)


def test_cluster_urls_name_services_of_the_overlay(rendered: Rendered) -> None:
    """A host without a dot is a Service of this namespace: it must be there, on that port."""
    web = rendered.environment(rendered.app_containers()["smartrunning-web"])
    for variable in ("DATABASE_URL", "REDIS_URL"):
        url = urlsplit(web[variable])
        assert url.hostname
        if "." not in url.hostname:
            service = rendered.one("Service", url.hostname)
            assert [p["port"] for p in service["spec"]["ports"]] == [url.port], variable


def test_postgres_in_the_cluster_is_created_as_the_app_connects(
    render: Callable[[str], Rendered],
) -> None:
    rendered = render("small-cluster")
    web = rendered.environment(rendered.app_containers()["smartrunning-web"])
    database = urlsplit(web["DATABASE_URL"])
    assert (database.hostname, urlsplit(web["REDIS_URL"]).hostname) == ("postgres", "redis")
    postgres = rendered.one("StatefulSet", "postgres")["spec"]["template"]["spec"]
    env = {e["name"]: e for e in postgres["containers"][0]["env"]}
    assert env["POSTGRES_USER"]["value"] == database.username
    assert env["POSTGRES_DB"]["value"] == database.path.lstrip("/")
    # One password: the one PostgreSQL is created with is the one in the app's URL.
    password = env["POSTGRES_PASSWORD"]["valueFrom"]["secretKeyRef"]
    secret = rendered.one("Secret", password["name"])["data"]
    assert base64.b64decode(secret[password["key"]]).decode() == web["POSTGRES_PASSWORD"]
    assert database.password == "$(POSTGRES_PASSWORD)"


def test_grace_periods_cover_the_graceful_stops(rendered: Rendered) -> None:
    deployments = {
        o["metadata"]["name"]: o["spec"]["template"]["spec"] for o in rendered.all("Deployment")
    }
    web = deployments["smartrunning-web"]
    pause = web["containers"][0]["lifecycle"]["preStop"]["exec"]["command"]
    assert pause[0] == "sleep"
    assert web["terminationGracePeriodSeconds"] >= int(pause[1]) + GRACEFUL_TIMEOUT_S + 5
    worker = deployments["smartrunning-worker"]
    assert worker["terminationGracePeriodSeconds"] >= WORKER_STOP_TIMEOUT_S + 10


def test_pods_run_unprivileged(rendered: Rendered) -> None:
    user = re.search(r"^USER (\d+):(\d+)$", dockerfile(), re.MULTILINE)
    assert user, "the Dockerfile's USER must be numeric for runAsNonRoot"
    for manifest, pod in rendered.pod_templates():
        name = manifest["metadata"]["name"]
        security = pod["securityContext"]
        assert security["runAsNonRoot"] is True, name
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        for container in pod["containers"]:
            assert container["securityContext"] == {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "capabilities": {"drop": ["ALL"]},
            }, name
            assert {"requests", "limits"} <= set(container["resources"]), name
    for name in rendered.app_containers():
        pod = next(p for o, p in rendered.pod_templates() if o["metadata"]["name"] == name)
        assert str(pod["securityContext"]["runAsUser"]) == user.group(1), name


def test_selectors_pick_the_right_pods(rendered: Rendered) -> None:
    labels = {
        o["metadata"]["name"]: o["spec"]["template"]["metadata"]["labels"]
        for o in rendered.all("Deployment")
    }

    def picks(selector: dict[str, str]) -> set[str]:
        return {name for name, pod in labels.items() if selector.items() <= pod.items()}

    service = rendered.one("Service", "smartrunning-web")
    assert picks(service["spec"]["selector"]) == {"smartrunning-web"}
    for budget in rendered.all("PodDisruptionBudget"):
        name = budget["metadata"]["name"]
        assert picks(budget["spec"]["selector"]["matchLabels"]) == {name}
    for manifest, _pod in rendered.pod_templates():
        template = manifest["spec"]["template"]["metadata"]["labels"]
        selector = manifest["spec"].get("selector", {}).get("matchLabels", {})
        assert selector.items() <= template.items(), manifest["metadata"]["name"]
        if manifest["kind"] == "StatefulSet":
            assert rendered.one("Service", manifest["spec"]["serviceName"])
    app_pods = [
        o["spec"]["template"]["metadata"]["labels"]
        for o, _pod in rendered.pod_templates()
        if o["metadata"]["name"] in rendered.app_containers()
    ]
    for policy in rendered.all("NetworkPolicy"):  # the app's pods may reach the database
        allowed = policy["spec"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"]
        assert all(allowed.items() <= pod.items() for pod in app_pods)
    target = rendered.one("HorizontalPodAutoscaler", "smartrunning-web")["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "smartrunning-web")
    # The autoscaler owns the web's replicas: an apply must not reset them.
    assert "replicas" not in rendered.one("Deployment", "smartrunning-web")["spec"]


def test_the_dockerfile_passes_hadolint() -> None:
    result = subprocess.run(
        [str(BIN / "hadolint"), "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_secrets_stay_out_of_git_and_of_the_image() -> None:
    assert "secrets.env" in (KUBE / ".gitignore").read_text().split()
    assert "**/secrets.env" in (ROOT / ".dockerignore").read_text().split()
