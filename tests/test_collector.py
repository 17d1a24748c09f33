"""The cycle collector is paused over the load, the extraction and the detection, and given back
as it was found, whatever happens inside; the load collects the cycles the stores' drivers leave
once a transaction, so they do not pile up over a long load."""

from __future__ import annotations

import gc

import pytest

from conftest import CHECHNYA, MINIMAL_CASE, write_case
from kg.collector import cycle_collector_paused
from kg.detect import detect_contradictions
from kg.errors import KGError
from kg.loading import load_paths


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_nested_pause_leaves_the_restart_to_the_outermost(collector_on):
    with cycle_collector_paused():
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_ends_when_its_block_fails(collector_on):
    with pytest.raises(ValueError), cycle_collector_paused():
        raise ValueError("inside")
    assert gc.isenabled()


def test_a_pause_does_not_start_a_collector_that_was_off():
    was = gc.isenabled()
    gc.disable()
    try:
        with cycle_collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_load_and_detection_give_the_collector_back(collector_on, fresh_store, tmp_path):
    load_paths(fresh_store, [CHECHNYA])
    assert gc.isenabled()
    detect_contradictions(fresh_store)
    assert gc.isenabled()
    with pytest.raises(KGError):
        load_paths(fresh_store, [write_case(tmp_path / "bad", "statements: [oops]\n")])
    assert gc.isenabled()


@pytest.mark.parametrize("kind", ["ladybug", "neo4j"])
def test_a_load_leaves_no_cycles_of_the_store_drivers_behind(kind, request, tmp_path):
    """Neo4j's driver leaves each result in a reference cycle that holds the rows it was given:
    collected only at the end, a load of 100,000 articles grew to 5.3 GB."""
    store = request.getfixturevalue("neo4j_store_factory")() if kind == "neo4j" else request.getfixturevalue("fresh_store")
    cases = [write_case(tmp_path / f"case{n}", MINIMAL_CASE.replace("A test report", f"Report {n}"),
                        f"The minister said: “Nothing happened.” A survivor said he was beaten. ({n})")
             for n in range(3)]
    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        load_paths(store, cases, per_transaction=1)
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
