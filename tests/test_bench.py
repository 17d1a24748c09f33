"""kg bench on tiny corpora, embedded store only. Nothing here asserts a speed: speed is
measured by benchmarks (benchmarks/RESULTS.md), never by timed tests."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg.bench import add_exponents, render_table
from kg.cli import main

KEYS = {"stage", "size", "seconds", "rate", "peak_rss_mb", "exponent"}


def test_bench_json_records(tmp_path):
    workdir = tmp_path / "bench"
    result = CliRunner().invoke(
        main, ["bench", "--sizes", "20,40", "--json", "--quiet", "--repeat", "2", "--workers", "2",
               "--workdir", str(workdir)]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert records
    for record in records:
        assert KEYS <= set(record), record
    stages = {r["stage"] for r in records}
    assert {"generate", "parse", "load", "contradictions", "viz", "pipeline.load", "pipeline.detect", "pipeline"} <= stages
    assert {"query.actor_profile", "query.paths_between", "query.timeline"} <= stages
    assert "extract" in stages  # measured, or a record saying why it was left out
    assert {r["size"] for r in records} == {20, 40}
    measured = [r for r in records if r["seconds"] is not None]
    assert all(r["peak_rss_mb"] and r["peak_rss_mb"] > 0 for r in measured if not r.get("cached"))
    assert all(r["cpu_seconds"] > 0 for r in measured if not r.get("cached"))
    assert all("note" not in r for r in measured if r["stage"] != "generate"), [r.get("note") for r in measured]
    # the second size has a growth exponent for every stage measured at both sizes
    second = {(r["stage"], r["store"]) for r in measured if r["size"] == 40}
    first = {(r["stage"], r["store"]) for r in measured if r["size"] == 20}
    for record in measured:
        if record["size"] == 40 and (record["stage"], record["store"]) in first & second:
            assert isinstance(record["exponent"], float)
        if record["size"] == 20:
            assert record["exponent"] is None
    loads = [r for r in records if r["stage"] == "load"]
    assert all(r["store"] == "ladybug" and r["articles"] == r["size"] and r["items"] > 0 for r in loads)
    assert (workdir / "corpus-20-seed1" / "corpus.json").is_file()
    pipeline = [r for r in records if r["stage"] == "pipeline.load"]
    assert all(r["items"] == r["size"] and r["statements"] > 0 and r["workers"] == 2 for r in pipeline)

    # a second run reuses the cached corpora
    again = CliRunner().invoke(
        main, ["bench", "--sizes", "20", "--json", "--quiet", "--repeat", "1", "--workdir", str(workdir)]
    )
    assert again.exit_code == 0, again.output
    generate = [r for r in json.loads(again.output) if r["stage"] == "generate"]
    assert generate and generate[0].get("cached") is True


def test_exponent_and_table():
    records = [
        {"stage": "load", "store": "ladybug", "size": 10, "seconds": 1.0, "rate": 10.0, "unit": "statements/s",
         "peak_rss_mb": 50.0, "exponent": None},
        {"stage": "load", "store": "ladybug", "size": 100, "seconds": 100.0, "rate": 1.0, "unit": "statements/s",
         "peak_rss_mb": 60.0, "exponent": None},
        {"stage": "extract", "store": None, "size": 10, "seconds": None, "rate": None, "unit": None,
         "peak_rss_mb": None, "exponent": None, "note": "stage left out"},
    ]
    add_exponents(records)
    assert records[0]["exponent"] is None
    assert records[1]["exponent"] == 2.0
    assert records[1].get("cpu_exponent") is None  # no CPU times in these records
    records[0]["cpu_seconds"], records[1]["cpu_seconds"] = 0.5, 5.0
    add_exponents(records)
    assert records[1]["cpu_exponent"] == 1.0
    table = render_table(records)
    assert table.splitlines()[0].split()[:3] == ["stage", "store", "size"]
    assert "stage left out" in table


def test_bench_rejects_bad_sizes(tmp_path):
    result = CliRunner().invoke(main, ["bench", "--sizes", "ten", "--workdir", str(tmp_path)])
    assert result.exit_code == 1
    assert "whole numbers" in result.output
    assert "Example:" in CliRunner().invoke(main, ["bench", "--help"]).output


def test_bench_runs_only_the_stages_asked_for(tmp_path):
    result = CliRunner().invoke(
        main, ["bench", "--sizes", "12", "--stages", "pipeline,parse", "--json", "--quiet", "--workdir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert [r["stage"] for r in json.loads(result.output)] == [
        "generate", "parse", "pipeline.load", "pipeline.detect", "pipeline"
    ]
    refused = CliRunner().invoke(main, ["bench", "--stages", "pipeline,everything"])
    assert refused.exit_code == 2
    assert "choose from extract, load, neo4j, parse, pipeline, queries, report, viz" in refused.output


def test_bench_reads_the_store_an_earlier_run_loaded(tmp_path):
    def stages(*names):
        result = CliRunner().invoke(main, ["bench", "--sizes", "12", "--stages", ",".join(names), "--json",
                                           "--quiet", "--workdir", str(tmp_path)])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    assert [r["stage"] for r in stages("load")] == ["generate", "load"]
    records = stages("report")
    assert [(r["stage"], r["seconds"]) for r in records[1:]] == [("load", None), ("contradictions", records[2]["seconds"])]
    assert records[1]["note"] == f"store reused from the work folder: {tmp_path / 'store-12-seed1-tx500'}"
    assert records[2]["seconds"] is not None
