"""Every example in examples/ runs: the demo end to end, and every case file loads and validates."""

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.loading import load_paths
from kg.rdf import check_shapes
from kg.casefile import load_casefile

from conftest import REPO

CASE_FILES = sorted((REPO / "examples").rglob("case.yaml"))


def test_demo_writes_the_page_and_the_report(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "demo")], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"store:          {tmp_path / 'demo' / 'store'}",
        f"network page:   {tmp_path / 'demo' / 'network.html'}",
        f"contradictions: {tmp_path / 'demo' / 'contradictions.md'} (20 found)",
    ]
    report = (tmp_path / "demo" / "contradictions.md").read_text(encoding="utf-8")
    # The seed's denial-versus-testimony pairs.
    assert "“This information was not confirmed”" in report
    assert "“was illegally detained and tortured.”" in report
    assert "flogged repeatedly" in report
    assert "“We don’t have any gays”" in report
    assert "“nonsense,”" in report or "nonsense" in report
    assert "provocation" in report
    assert "refused to initiate criminal proceedings" in report
    assert "37 people \\[reported\\] torture" in report
    page = (tmp_path / "demo" / "network.html").read_text(encoding="utf-8")
    assert "<html" in page.lower()
    # A second run starts from a fresh store and gives the same report.
    CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "demo")], catch_exceptions=False)
    assert (tmp_path / "demo" / "contradictions.md").read_text(encoding="utf-8") == report


def test_demo_refuses_to_wipe_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "demo" / "store").mkdir(parents=True)
    (tmp_path / "demo" / "store" / "precious.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 1
    assert "is not a kg store" in result.stderr
    assert (tmp_path / "demo" / "store" / "precious.txt").exists()


@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_example_case_file_loads_and_conforms(case_file, fresh_store):
    check_shapes(load_casefile(case_file), where=str(case_file))
    load_paths(fresh_store, [case_file])
    assert fresh_store.counts()["Statement"] > 0
