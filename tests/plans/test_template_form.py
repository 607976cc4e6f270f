"""Plan templates as forms: the form and the JSON hold the same template (round trips
lose nothing), the form saves through the JSON path's validator, puts each problem beside
its field in words, and answers bad input (empty, negative, text, 1000 blocks) without a
500; its buttons add, remove and move blocks and sessions without JavaScript."""

from __future__ import annotations

import html as html_lib
import json
import re
from importlib.resources import files
from typing import Any

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.plans import plan_schemas, schema_views, template_form
from smartrunning.plans.models import PlanSchemaRow
from smartrunning.platform.db import db
from smartrunning.science.plans import PlanSchema, SchemaError, parse_schema, schema_to_dict
from tests.core.strategies import schemas
from tests.helpers import login, make_world, post_form, with_plans

SHIPPED = ("5k.json", "10k.json", "half-marathon.json", "marathon.json")


def _shipped(name: str) -> dict[str, Any]:
    data = json.loads((files("smartrunning.data") / "plans" / name).read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _through_form(data: dict[str, Any]) -> tuple[template_form.TemplateForm, dict[str, Any]]:
    """JSON → the form's fields as posted → the form read back → JSON."""
    form = template_form.form_from_template(data)
    posted = template_form.form_from_post(template_form.post_fields(form))
    return posted, template_form.template_from_form(posted)


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_templates_survive_the_form(name: str) -> None:
    canonical = schema_to_dict(parse_schema(_shipped(name)))
    form, back = _through_form(canonical)
    assert back == canonical
    assert parse_schema(back) == parse_schema(canonical)
    assert form == template_form.form_from_template(back)
    # Shares and fractions are shown in per cent, as typed by people.
    first = template_form.form_from_template(canonical).blocks[0]
    assert re.fullmatch(r"\d+(\.\d+)?", first.progression)
    assert all(re.fullmatch(r"\d+(\.\d+)?", s.weight) for s in first.pattern)


@settings(max_examples=150, deadline=None)
@given(schemas())
def test_any_valid_template_survives_json_form_json_and_form_json_form(
    schema: PlanSchema,
) -> None:
    if "\r" in schema.description:  # browsers send a text area's lines with CRLF
        return
    canonical = schema_to_dict(schema)
    form, back = _through_form(canonical)
    assert back == canonical  # exact: every float to the last bit
    assert parse_schema(back) == schema
    again, _ = _through_form(back)
    assert again == form


def test_numbers_as_typed() -> None:
    form = template_form.form_from_template(_shipped("10k.json"))
    block = form.blocks[0]
    block.progression = "7,5"  # a decimal comma
    block.weeks = " 3 "
    block.recovery_drop = "abc"
    data = template_form.template_from_form(form)
    assert data["blocks"][0]["progression"] == 0.075
    assert data["blocks"][0]["weeks"] == 3
    assert data["blocks"][0]["recovery_drop"] == "abc"  # left for the validator to name


def _words(html: str) -> str:
    """A page's text, without the test world's template names ("10 km of schema_id")."""
    text = re.sub(r"<script.*?</script>|<[^>]*>", " ", html, flags=re.S).lower()
    return re.sub(r"of (other_)?schema_id", "", text)


def _fields(data: dict[str, Any], **changes: str) -> dict[str, str]:
    fields = template_form.post_fields(template_form.form_from_template(data))
    return {**fields, **changes}


def test_a_coach_edits_a_template_with_the_form(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    page = client.get(f"/plans/templates/{world.schema_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Weekly growth (%)" in html
    assert "Edit as JSON" in html
    assert "schema" not in _words(html)
    with app.app_context():
        body = db.session.get_one(PlanSchemaRow, world.schema_id).body
    fields = _fields(body, **{"blocks-0-weeks": "5", "blocks-0-pattern-0-weight": "30"})
    fields["blocks-0-pattern-3-weight"] = "15"  # 26+19+26+19+10 → 30+19+26+15+10
    saved = post_form(client, f"/plans/templates/{world.schema_id}", {**fields, "action": "save"})
    assert saved.status_code == 302
    with app.app_context():
        row = db.session.get_one(PlanSchemaRow, world.schema_id)
        assert row.body["blocks"][0]["weeks"] == 5
        assert row.body["blocks"][0]["pattern"][0]["weight"] == 0.3
        assert plan_schemas.parse_row(row).total_weeks == 14
    # The JSON editor shows the same template, and reads the form's saved values.
    text = html_lib.unescape(client.get(f"/plans/schemas/{world.schema_id}").get_data(as_text=True))
    assert '"weight": 0.3' in text


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("blocks-0-weeks", "", "Required. Enter a whole number of weeks from 1 to 52."),
        ("blocks-0-weeks", "-3", "Enter a whole number of weeks from 1 to 52."),
        ("blocks-0-weeks", "three", "Enter a whole number, not 'three'."),
        ("blocks-0-weeks", "2.5", "Enter a whole number, not '2.5'."),
        ("blocks-0-weeks", "9" * 40, "Enter a whole number, not"),
        ("blocks-0-progression", "-1", "Enter a weekly growth from 0 to 10 %."),
        ("blocks-0-progression", "lots", "Enter a number, not 'lots'."),
        ("blocks-0-progression", "nan", "Enter a number, not 'nan'."),
        ("blocks-0-progression", "1e999999", "Enter a number"),
        ("blocks-0-recovery_every", "7", "Choose a recovery week every 3rd or 4th week."),
        ("blocks-0-recovery_drop", "90", "Enter a recovery-week drop from 25 to 35 %."),
        ("blocks-3-reduction", "", "Required. Enter a taper reduction from 40 to 60 %"),
        ("blocks-0-pattern-0-weight", "-26", "Enter a share above 0 and at most 100 %."),
        ("blocks-0-pattern-0-weight", "50", "The shares add up to 124 %"),
        ("blocks-0-pattern-0-slot", "", "Give it a name."),
        ("blocks-0-pattern-0-kind", "sprint", "Choose a kind from the list."),
        ("blocks-0-kind", "nonsense", "Choose a kind from the list."),
        ("blocks-3-kind", "build", "A taper block is missing"),
        ("blocks-0-name", "Build", "Block 'Build' appears twice."),
        ("max_ramp", "0", "Enter a largest weekly rise from 1 to 25 %."),
        ("max_weekly", "", "Required. Enter a weekly load cap from 1 to 5000."),
        ("min_weekly", "9000", "The first-week floor must not be above the weekly cap."),
        ("race_distance_m", "-5", "Enter a race distance in metres above 0"),
        ("name", "   ", "Give it a name."),
        ("name", "x" * 300, "Give a name of 1–200 printable characters."),
        ("name", "5 km", "A plan template called '5 km' already exists."),
    ],
)
def test_bad_values_are_named_beside_their_field(
    app: Flask, field: str, value: str, words: str
) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    with app.app_context():
        body = db.session.get_one(PlanSchemaRow, world.schema_id).body
        before = json.dumps(body)
    fields = _fields(body, **{field: value})
    page = post_form(client, f"/plans/templates/{world.schema_id}", {**fields, "action": "save"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    # The order's problems are the block list's, a week's shares its pattern's, a name
    # taken twice the second one's.
    at = {"blocks-3-kind": "blocks", "blocks-0-name": "blocks-1-name"}.get(field, field)
    if words.startswith("The shares"):
        at = "blocks-0-pattern"
    feedback = re.findall(rf'data-testid="error-{re.escape(at)}">([^<]*)<', html)
    assert any(words in html_lib.unescape(m) for m in feedback), feedback
    assert f'id="{field}"' in html  # the field is shown again, as typed
    with app.app_context():
        assert json.dumps(db.session.get_one(PlanSchemaRow, world.schema_id).body) == before


def test_hostile_posts_answer_without_a_500(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    url = f"/plans/templates/{world.schema_id}"
    empty = post_form(client, url, {"action": "save"})
    assert empty.status_code == 400
    assert "Give it a name." in empty.get_data(as_text=True)
    # 1000 blocks: a form that large is refused as too large, or cut to 52 with a problem.
    many = {f"blocks-{i}-weeks": "1" for i in range(1000)}
    refused = post_form(client, url, {**many, "action": "save"})
    assert refused.status_code in (400, 413)
    some = {f"blocks-{i}-name": f"B{i}" for i in range(300)}
    cut = post_form(client, url, {**some, "action": "save"})
    assert cut.status_code == 400
    assert "at most 52 blocks" in cut.get_data(as_text=True)
    assert cut.get_data(as_text=True).count("data-block>") == 52
    # Indices with gaps, huge or odd, unknown fields and unknown actions.
    odd = {
        "blocks-7-name": "Late",
        "blocks-99999-name": "x",
        "blocks-0-pattern-123456789-slot": "y",
        "blocks-0-unknown": "z",
    }
    assert post_form(client, url, {**odd, "action": "save"}).status_code == 400
    for action in ("remove-block-999", "up-block-x", "add-session-", "down-session-0-9999", "?"):
        assert post_form(client, url, {**odd, "action": action}).status_code == 200
    nul = post_form(client, url, {"name": "\x00bad", "action": "save"})
    assert nul.status_code == 400
    bad_json = post_form(client, url, {"from_json": "1", "body": "{nope"})
    assert bad_json.status_code == 400
    assert "cannot be read" in bad_json.get_data(as_text=True)
    not_object = post_form(client, url, {"from_json": "1", "body": "[1, 2]"})
    assert not_object.status_code == 400
    # A JSON object of the wrong shape still opens as a form (to be fixed there).
    wrong = {"name": 5, "blocks": [{"weeks": "x", "pattern": [3]}, 7], "load": []}
    shown = post_form(client, url, {"from_json": "1", "body": json.dumps(wrong)})
    assert shown.status_code == 200
    assert post_form(client, "/plans/templates/new", {"action": "save"}).status_code == 400


def test_buttons_add_remove_and_move_blocks_and_sessions(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    url = f"/plans/templates/{world.schema_id}"
    with app.app_context():
        body = db.session.get_one(PlanSchemaRow, world.schema_id).body

    def names(html: str, pattern: str) -> list[str]:
        return re.findall(rf'name="{pattern}" value="([^"]*)"', html)

    fields = _fields(body)
    added = post_form(client, url, {**fields, "action": "add-block"}).get_data(as_text=True)
    assert names(added, r"blocks-\d+-name") == ["Base", "Build", "Peak", "Block 1", "Taper"]
    moved = post_form(client, url, {**fields, "action": "up-block-1"}).get_data(as_text=True)
    assert names(moved, r"blocks-\d+-name") == ["Build", "Base", "Peak", "Taper"]
    removed = post_form(client, url, {**fields, "action": "remove-block-2"}).get_data(as_text=True)
    assert names(removed, r"blocks-\d+-name") == ["Base", "Build", "Taper"]
    session = post_form(client, url, {**fields, "action": "add-session-0"}).get_data(as_text=True)
    assert names(session, r"blocks-0-pattern-\d+-slot")[-1] == "session 1"
    down = post_form(client, url, {**fields, "action": "down-session-0-0"}).get_data(as_text=True)
    assert names(down, r"blocks-0-pattern-\d+-slot")[:2] == ["hills", "long"]
    gone = post_form(client, url, {**fields, "action": "remove-session-0-4"})
    assert names(gone.get_data(as_text=True), r"blocks-0-pattern-\d+-slot") == [
        "long",
        "hills",
        "easy",
        "strides",
    ]
    with app.app_context():  # nothing saved by the buttons
        assert db.session.get_one(PlanSchemaRow, world.schema_id).body == body


def test_edit_as_json_and_back_carries_unsaved_changes(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    with app.app_context():
        body = db.session.get_one(PlanSchemaRow, world.schema_id).body
    fields = _fields(body, **{"blocks-1-weeks": "6", "description": "Line one\r\nline two"})
    url = f"/plans/templates/{world.schema_id}"
    page = post_form(client, url, {**fields, "action": "json"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'action="/plans/schemas/{world.schema_id}"' in html
    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert text is not None
    data = json.loads(text.group(1).replace("&#34;", '"').replace("&quot;", '"'))
    assert data["blocks"][1]["weeks"] == 6
    assert data["description"] == "Line one\nline two"
    back = post_form(client, url, {"from_json": "1", "body": json.dumps(data)})
    assert back.status_code == 200
    assert 'name="blocks-1-weeks" value="6"' in back.get_data(as_text=True)
    # Saving from the JSON editor stores what the form would have stored.
    saved = post_form(client, f"/plans/schemas/{world.schema_id}", {"body": json.dumps(data)})
    assert saved.status_code == 302
    with app.app_context():
        stored = db.session.get_one(PlanSchemaRow, world.schema_id).body
        assert stored == template_form.template_from_form(template_form.form_from_post(fields)) | {
            "name": stored["name"]
        }


def test_new_and_copied_templates_and_read_only_ones(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    new = client.get("/plans/templates/new")
    assert new.status_code == 200
    assert 'name="blocks-1-name" value="Taper"' in new.get_data(as_text=True)
    starter = template_form.form_from_template(schema_views.STARTER)
    starter.name = "My first template"
    fields = template_form.post_fields(starter)
    created = post_form(client, "/plans/templates/new", {**fields, "action": "save"})
    assert created.status_code == 302
    with app.app_context():
        row = plan_schemas.schema_by_name("My first template")
        assert plan_schemas.parse_row(row).total_weeks == 6
    copy = client.get(f"/plans/templates/new?copy={world.default_schema_id}")
    assert 'value="10 km (copy)"' in copy.get_data(as_text=True)
    # Another coach's template: shown read-only, with a copy to change.
    other = client.get(f"/plans/templates/{world.other_schema_id}").get_data(as_text=True)
    assert "<fieldset disabled>" in other
    assert "Copy to change it" in other
    assert 'value="save">Save</button>' not in other.split("</fieldset>")[1]
    denied = post_form(client, f"/plans/templates/{world.other_schema_id}", {"action": "json"})
    assert denied.status_code == 403
    assert client.get("/plans/templates/0").status_code == 404
    assert client.get(f"/plans/templates/{2**40}").status_code == 404
    listing = client.get("/plans/schemas").get_data(as_text=True)
    assert "Plan templates" in listing
    assert "New plan template" in listing
    assert "schema" not in _words(listing)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        sorted(template_form.post_fields(template_form.form_from_template(_shipped("10k.json"))))
    ),
    st.text(max_size=30) | st.sampled_from(["", "-1", "1e400", "NaN", "0", "1,5", "٣"]),
)
def test_any_text_in_any_field_gets_words_not_an_exception(field: str, value: str) -> None:
    fields = {**template_form.post_fields(template_form.form_from_template(_shipped("10k.json")))}
    fields[field] = value
    form = template_form.form_from_post(fields)
    try:
        parse_schema(template_form.template_from_form(form))
    except SchemaError as exc:
        errors = template_form.field_errors(form, [(p.path, p.message) for p in exc.problems])
        assert errors
        assert all(m and m[0].isupper() and m.endswith(".") for ms in errors.values() for m in ms)
