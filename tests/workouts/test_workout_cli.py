"""``smartrunning workouts …`` and the default library in ``init``, run as a user runs them."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from garmin_fit_sdk import Decoder, Stream

from smartrunning.science.zwo import read_zwo
from tests.commands import cli_env, run_cli, run_process
from tests.database import TestDatabase

DATA = Path(__file__).resolve().parent.parent / "data" / "zwo"


@pytest.fixture
def env(tmp_path: Path, test_database: TestDatabase) -> dict[str, str]:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    return cli_env(tmp_path / "instance", url)


def _json(result: object) -> dict[str, object]:
    return json.loads(result.stdout)  # type: ignore[attr-defined,no-any-return]


def test_init_loads_the_default_library_once(env: dict[str, str], tmp_path: Path) -> None:
    first = run_cli(env, "init", "--json", cwd=tmp_path)
    assert first.exit_code == 0, first.stderr
    assert _json(first)["default_workouts_added"] == 38
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    listed = _json(run_cli(env, "workouts", "list", "--json", cwd=tmp_path))
    assert listed["total"] == 38
    tempo = _json(run_cli(env, "workouts", "list", "--tag", "kind:tempo", "--json", cwd=tmp_path))
    assert {w["kind"] for w in tempo["workouts"]} == {"tempo"}  # type: ignore[union-attr,index]
    text = run_cli(env, "workouts", "list", "--search", "marathon", cwd=tmp_path)
    assert "Marathon pace 2 × 5 km" in text.stdout


def test_import_reports_each_file_and_fails_when_one_failed(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    folder = tmp_path / "zwo"
    folder.mkdir()
    for name in ("distance.zwo", "mixed-units.zwo", "billion-laughs.zwo"):
        shutil.copy(DATA / name, folder / name)
    (folder / "notes.txt").write_text("ignored")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner/tolerant.zwo", (DATA / "tolerant.zwo").read_bytes())
    archive_path = tmp_path / "more.zip"
    archive_path.write_bytes(buffer.getvalue())

    result = run_cli(
        env, "workouts", "import", str(folder), str(archive_path), "--json", cwd=tmp_path
    )
    assert result.exit_code == 1
    report = _json(result)
    assert report["counts"] == {"imported": 3, "failed": 1}
    files = {f["file"]: f for f in report["files"]}  # type: ignore[union-attr,index]
    assert files["zwo/billion-laughs.zwo"]["message"].startswith("line 2: a DTD")
    assert files["more.zip/inner/tolerant.zwo"]["workout_name"] == "Tolerant quirks"
    assert "zwo/notes.txt" not in files

    again = run_cli(env, "workouts", "import", str(folder / "distance.zwo"), cwd=tmp_path)
    assert again.exit_code == 0
    assert "duplicate" in again.stdout
    assert "1 duplicate" in again.stdout


def test_export_zwo_and_fit(env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    runner = run_cli(
        env, "runner", "create", "--name", "Lena", "--birth-date", "1990-01-01", "--sex", "f",
        "--json", cwd=tmp_path,
    )  # fmt: skip
    runner_id = str(_json(runner)["id"])
    listed = _json(
        run_cli(env, "workouts", "list", "--search", "4 × 4 min", "--json", cwd=tmp_path)
    )
    workout_id = str(listed["workouts"][0]["id"])  # type: ignore[index]
    zwo_path = tmp_path / "w.zwo"
    assert (
        run_cli(env, "workouts", "export", workout_id, "-o", str(zwo_path), cwd=tmp_path).exit_code
        == 0
    )
    assert read_zwo(zwo_path.read_bytes()).name == "VO2max 4 × 4 min"
    fit_path = tmp_path / "w.fit"
    exported = run_cli(
        env, "workouts", "export", workout_id, "--format", "fit", "--runner", runner_id,
        "--on", "2026-06-01", "-o", str(fit_path), cwd=tmp_path,
    )  # fmt: skip
    assert exported.exit_code == 0, exported.stderr
    messages, errors = Decoder(Stream.from_file(str(fit_path))).read()
    assert errors == []
    assert messages["workout_mesgs"][0]["wkt_name"] == "VO2max 4 × 4 min"
    # ZWO for the runner: a workout without pace targets is written as stored.
    runner_zwo = tmp_path / "r.zwo"
    exported = run_cli(
        env, "workouts", "export", workout_id, "--runner", runner_id, "--on", "2026-06-01",
        "-o", str(runner_zwo), cwd=tmp_path,
    )  # fmt: skip
    assert exported.exit_code == 0, exported.stderr
    assert read_zwo(runner_zwo.read_bytes()) == read_zwo(zwo_path.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("workouts", "import", "missing.zwo"), "does not exist"),
        (("workouts", "import", "empty"), "No .zwo or .zip files found"),
        (("workouts", "import", "a.zwo", "--owner", "ghost"), "No user 'ghost'"),
        (("workouts", "list", "--sport", "swim"), "'swim' is not one of"),
        (("workouts", "export", "999999", "-o", "x.zwo"), "No such workout"),
        (("workouts", "export", "1", "--format", "fit", "-o", "x.fit"), "--runner is needed"),
        (
            ("workouts", "export", "1", "--format", "fit", "--runner", "999", "-o", "x.fit"),
            "No runner 999",
        ),
        (("workouts", "export", "1", "--format", "pdf", "-o", "x"), "'pdf' is not one of"),
    ],
)
def test_bad_input_is_refused_clearly(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    (tmp_path / "a.zwo").write_bytes((DATA / "distance.zwo").read_bytes())
    (tmp_path / "empty").mkdir()
    result = run_cli(env, *args, cwd=tmp_path)
    assert result.exit_code != 0
    assert message in result.stderr


@pytest.mark.parametrize("command", ["workouts import", "workouts list", "workouts export"])
def test_workout_commands_have_help(tmp_path: Path, command: str) -> None:
    result = run_process(
        cli_env(tmp_path / "instance", None), *command.split(), "--help", cwd=tmp_path
    )
    assert result.returncode == 0
    assert "Usage:" in result.stdout
