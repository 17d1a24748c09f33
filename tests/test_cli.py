"""The command line, through click's CliRunner: exact output, exit codes, one-line errors."""

import json

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import CHECHNYA, MINIMAL_CASE, write_case


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_load_then_stats(runner, tmp_path):
    store = tmp_path / "store"
    result = invoke(runner, "load", "--store", store, CHECHNYA)
    assert result.exit_code == 0
    assert result.stdout == "loaded 1 file(s), 1 article(s): 104 nodes, 264 relationships\n"
    stats = json.loads(invoke(runner, "stats", "--store", store, "--json").stdout)
    assert stats["Article"] == 1 and stats["Contradiction"] == 21 and stats["Statement"] == 28
    again = invoke(runner, "load", "--store", store, CHECHNYA)
    assert json.loads(invoke(runner, "stats", "--store", store, "--json").stdout) == stats
    assert again.exit_code == 0


def test_a_case_file_error_is_one_line_and_exit_1(runner, tmp_path):
    path = write_case(tmp_path / "case", MINIMAL_CASE.replace("stance: denial", "stance: maybe"))
    result = invoke(runner, "load", "--store", tmp_path / "store", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"kg: error: {path}:22: statements entry: stance must be one of "
        "accusation, affirmation, denial, other, testimony; got 'maybe'\n"
    )


def test_query_run_table_json_and_csv(runner, tmp_path):
    store = tmp_path / "store"
    invoke(runner, "load", "--store", store, CHECHNYA)
    table = invoke(runner, "query", "run", "paths_between", "-p", "source=Lapunov", "-p", "target=Kadyrov",
                   "--store", store)
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["hops", "via", "links"]
    assert lines[-1] == "(6 rows)"
    rows = json.loads(invoke(runner, "query", "run", "timeline", "--json", "--store", store).stdout)
    assert rows[0].keys() >= {"date", "type", "event", "place"}
    csv_out = invoke(runner, "query", "run", "denials", "--csv", "--store", store).stdout
    assert csv_out.splitlines()[0] == "actor,denials,contradicted"


def test_query_errors(runner, tmp_path):
    store = tmp_path / "store"
    invoke(runner, "load", "--store", store, CHECHNYA)
    result = invoke(runner, "query", "run", "actor_profile", "--store", store)
    assert (result.exit_code, result.stderr) == (1, "kg: error: query actor_profile: missing required parameter 'actor'\n")
    result = invoke(runner, "query", "run", "actor_profile", "-p", "actor", "--store", store)
    assert result.stderr == "kg: error: parameters are given as -p name=value, got 'actor'\n"
    result = invoke(runner, "query", "run", "nope", "--store", tmp_path / "empty")
    assert result.stderr == "kg: error: no query named 'nope'; `kg query list` shows them\n"
    result = invoke(runner, "stats", "--store", tmp_path / "empty")
    assert result.stderr == f"kg: error: {tmp_path / 'empty'}: no kg store here; load something first (kg load or kg demo)\n"


def test_query_list_names_every_query_with_parameters(runner):
    result = invoke(runner, "query", "list")
    assert "actor_profile: What an actor said" in result.stdout
    assert "    -p actor=<actor>  (required) Actor id, name or alias (e.g. Kadyrov)" in result.stdout
    listed = json.loads(invoke(runner, "query", "list", "--json").stdout)
    assert {q["name"] for q in listed} >= {"contradictions", "timeline", "neighbourhood"}


def test_cypher_is_read_only_unless_write(runner, tmp_path):
    store = tmp_path / "store"
    invoke(runner, "load", "--store", store, CHECHNYA)
    result = invoke(runner, "cypher", "MATCH (a:Actor) DETACH DELETE a", "--store", store)
    assert (result.exit_code, result.stderr) == (1, "kg: error: this query writes (DETACH); pass --write to allow it\n")
    result = invoke(runner, "cypher", "MATCH (a:Actor {name: $n}) RETURN a.id", "-p", "n=Ramzan Kadyrov",
                    "--csv", "--store", store)
    assert result.stdout == "a.id\nactor:ramzan-kadyrov\n"


def test_sensitive_people_are_pseudonymised_unless_revealed(runner, tmp_path):
    store = tmp_path / "store"
    invoke(runner, "load", "--store", store, write_case(tmp_path / "case", MINIMAL_CASE))
    hidden = invoke(runner, "contradictions", "--format", "json", "--store", store).stdout
    assert "Survivor A" not in hidden and "Protected person " in hidden
    shown = invoke(runner, "contradictions", "--format", "json", "--reveal", "--store", store).stdout
    assert "Survivor A" in shown


def test_contradictions_markdown_and_validate_and_export(runner, tmp_path):
    store = tmp_path / "store"
    invoke(runner, "load", "--store", store, CHECHNYA)
    markdown = invoke(runner, "contradictions", "--format", "markdown", "--store", store).stdout
    assert markdown.startswith("# Contradictions\n\n20 contradictions, strongest first.")
    assert "Valery Maksimenko" in markdown and "Maxim Lapunov" in markdown
    assert invoke(runner, "validate", CHECHNYA / "case.yaml").stdout == "1 file(s) valid\n"
    for fmt, name in (("turtle", "g.ttl"), ("jsonld", "g.jsonld"), ("graphml", "g.graphml")):
        result = invoke(runner, "export", "--format", fmt, "-o", tmp_path / name, "--store", store)
        assert result.exit_code == 0 and (tmp_path / name).stat().st_size > 1000


def test_contradictions_views_filters_and_per_actor_table(runner, tmp_path):
    store = tmp_path / "store"
    invoke(runner, "load", "--store", store, CHECHNYA)
    view = invoke(runner, "contradictions", "--view", "denial-vs-testimony", "--basis", "existence", "--store", store)
    assert view.stdout == (
        "id                                  basis      score  official           denial                                               survivor       testimony                                                     explanation\n"
        "----------------------------------  ---------  -----  -----------------  ---------------------------------------------------  -------------  ------------------------------------------------------------  ------------------------------------------------------------\n"
        'contradiction:45558e5b4a3c8f17428f  existence  1      Ramzan Kadyrov     Chechnya doesn’t “have those kinds of people here.”  Maxim Lapunov  Chechen authorities hoped to beat the names of other LGBTQ …  Kadyrov (Chechnya\'s leader) says Chechnya doesn\'t "have tho…\n'
        "contradiction:99ed2d606b0af5103704  existence  1      Valery Maksimenko  have revealed no gays in Chechnya                    Maxim Lapunov  Chechen authorities hoped to beat the names of other LGBTQ …  Maksimenko (official, Prosecutor General's Office) says inv…\n"
        "(2 rows)\n"
    )
    actors = invoke(runner, "contradictions", "actors", "--actor", "Lapunov", "--store", store)
    assert actors.stdout == (
        "actor                         voice     denials  contradictions  accounts_denied\n"
        "----------------------------  --------  -------  --------------  -----------------\n"
        "Ramzan Kadyrov                official  3        2               Maxim Lapunov (2)\n"
        "Valery Maksimenko             official  3        2               Maxim Lapunov (2)\n"
        "Kremlin                       official  1        1               Maxim Lapunov (1)\n"
        "Spokesman for Vladimir Putin  official  1        1               Maxim Lapunov (1)\n"
        "Vladimir Putin                official  1        1               Maxim Lapunov (1)\n"
        "(5 rows)\n"
    )
    grouped = json.loads(invoke(runner, "contradictions", "--group-by", "topic", "--actor", "Kadyrov", "--until", "2018-07",
                                "--format", "json", "--store", store).stdout)
    assert [(r["group"], r["speaker_a"], r["speaker_b"]) for r in grouped] == [
        ("Existence of gay people in Chechnya", "Ramzan Kadyrov", "Maxim Lapunov"),
        ("Existence of gay people in Chechnya", "Ramzan Kadyrov", "Russian advocacy groups"),
        ("Existence of gay people in Chechnya", "Ramzan Kadyrov", "Russian advocacy groups"),
        ("(no topic)", "Ramzan Kadyrov", "Maxim Lapunov"),
        ("(no topic)", "Ramzan Kadyrov", "Russian LGBTQ Network"),
    ]
    page = invoke(runner, "contradictions", "--format", "html", "--store", store).stdout
    assert page.startswith("<!DOCTYPE html>\n") and page.endswith("</html>\n")
    for args, error in (
        (("--since", "2018-13"), "kg: error: since: expected YYYY, YYYY-MM or YYYY-MM-DD, got '2018-13'\n"),
        (("--actor", "Nobody"), "kg: error: no actor named 'Nobody'\n"),
        (("actors", "--basis", "nope"),
         "kg: error: basis must be one of existence, numeric, polarity, responsibility, shift, not 'nope'\n"),
    ):
        result = invoke(runner, "contradictions", *args, "--store", store)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", error)


def test_load_writes_as_many_articles_per_transaction_as_the_library_by_default():
    from kg.loading import DEFAULT_PER_TRANSACTION

    option = next(p for p in main.commands["load"].params if p.name == "per_transaction")
    assert option.default == DEFAULT_PER_TRANSACTION


def test_every_command_has_an_example_in_its_help(runner):
    commands = ["load", "cypher", "contradictions", "viz", "export", "stats", "validate", "demo"]
    for command in commands:
        assert "Example:" in invoke(runner, command, "--help").stdout, command
    for sub in ("list", "run"):
        assert "Example:" in invoke(runner, "query", sub, "--help").stdout
    for sub in ("actors", "detect", "list", "confirm", "reject"):
        assert "Example:" in invoke(runner, "contradictions", sub, "--help").stdout
