"""Fuzz target for the loaders: the case-file parser, the article readers and the extractor.

Every input is bytes: the first byte picks the loader, the rest is the file (or text) it gets.
A loader may refuse an input only with a KGError (one line naming the file); anything else that
escapes (an IndexError, a RecursionError, a MemoryError, a span that is not the text at its
offsets) is a crash, and the fuzzer stops and prints the input.

Run it (from the checkout, with kg installed):

    python fuzz/fuzz_loaders.py --runs 5000            # Hypothesis: seeds, mutations, random bytes
    python fuzz/fuzz_loaders.py --runs 5000 --seed 7   # the same run again

With atheris installed (pip install atheris), the same target runs coverage-guided under
libFuzzer, which takes libFuzzer's flags instead:

    python fuzz/fuzz_loaders.py -atheris -runs=100000 fuzz/corpus/

The suite runs a few hundred inputs on every test run (tests/test_faults.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from kg.articles import read_articles
from kg.casefile import casefile_bundle, read_casefile
from kg.errors import KGError
from kg.extract import extract
from kg.ontology import load_ontology

LOADERS = ("casefile", ".txt", ".md", ".html", ".jsonl", ".csv", "extract")

# Well-formed inputs for each loader, which the mutations then break in small ways.
SEEDS = {
    "casefile": """\
article:
  title: A test report
  published: "2020-01-02"
  text: "The minister said: \u201cNothing happened.\u201d A survivor said he was beaten."
actors:
  - {id: minister, name: Ivan Petrov, type: Person, aliases: [Petrov], roles: [official]}
  - {id: survivor, name: Survivor A, type: Person, roles: [survivor], sensitive: true}
events:
  - id: beating
    type: assault
    label: Beating of a survivor
    evidence: "he was beaten"
    participants: [{actor: survivor, role: victim}]
statements:
  - {id: denial, speaker: minister, text: "Nothing happened.", kind: direct, stance: denial}
  - {id: testimony, speaker: survivor, text: "he was beaten", kind: indirect, stance: testimony, restricted: true}
contradictions:
  - {a: denial, b: testimony, basis: polarity, explanation: The minister denies it.}
privacy:
  sensitive_roles: [victim]
""",
    ".txt": "Report\n\n\u201cNothing happened,\u201d said Interior Minister Ivan Petrov. At least 3 people were "
            "detained in Grozny last year, a survivor told reporters.\n",
    ".md": "---\ntitle: A report\ndate: 2018-07-16\n---\n# Heading\n\nPolice said \u201cno one was held.\u201d\n",
    ".html": "<!DOCTYPE html><html><head><title>T</title><script>alert(1)</script></head><body><article>"
             "<p onclick=\"x()\">\u201cWe were beaten,\u201d a survivor said.</p><iframe src=\"//x\"></iframe>"
             "<div><div><div><p>Officials denied it.</p></div></div></div></article></body></html>",
    ".jsonl": '{"text": "\u201cNo,\u201d he said.", "title": "One", "date": "2018-07"}\n'
              '{"text": "Officials denied the report.", "url": "https://example.org/2"}\n',
    ".csv": "title,text,date\nOne,\"\u201cNo,\u201d he said.\",2018\nTwo,Officials denied it.,2018-07-16\n",
    "extract": "A 26-year-old man, who asked to be identified only by his first name, Tomas, said he was "
               "detained. \u201cThis is fiction,\u201d the ministry said in a statement.",
}

# Pieces that have broken parsers before: YAML tags, anchors, aliases, YAML 1.1 scalars,
# encodings, invisible and bidirectional characters, markup that must never be stored.
HOSTILE = [
    b"!!python/object/apply:os.system ['true']", b"&a [*a, *a]", b"*a", b"<<: *a", b"NO", b"0123", b"12:30",
    b"2018-07-16", b"~", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xc0\xaf", "\u202e".encode(),
    "\u200b".encode(), "\u00ad".encode(), "\uff2b".encode(), "\u04c0".encode(), "\u0430".encode(),
    "\u041a\u0430\u0434\u044b\u0440\u043e\u0432".encode("cp1251"), b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"&e;", b"<script>", b"</div>" * 3, b"<div>" * 50, b"\"", b"\u201c", b"'", b"\n  - ", b": ", b"{", b"[", b"---\n",
    b"id: x", b"text:", b"occurrence: 2", b"\r\n", b"\t",
]


def run_one(data: bytes, workdir: Path) -> None:
    """Feed one input to the loader its first byte picks. Returns normally or raises a KGError
    for a refused input; raises anything else for a crash."""
    if not data:
        return
    loader = LOADERS[data[0] % len(LOADERS)]
    body = data[1:]
    try:
        if loader == "casefile":
            path = workdir / "case.yaml"
            path.write_bytes(body)
            casefile_bundle(read_casefile(path)).check(load_ontology())
        elif loader == "extract":
            # surrogateescape turns undecodable bytes into lone surrogates, which must be refused.
            _check_spans(body.decode("utf-8", "surrogateescape"))
        else:
            path = workdir / f"article{loader}"
            path.write_bytes(body)
            for article in read_articles(path):
                _check_spans(article.text)
    except KGError:
        pass


def _check_spans(text: str) -> None:
    data = extract(text, publisher="Wire").to_json()
    for item in [*data["statements"], *data["events"], *data["relations"]]:
        assert 0 <= item["start"] <= item["end"] <= len(text), item
        assert text[item["start"]:item["end"]] == item["text"], item


def _mutated():
    from hypothesis import strategies as st

    seeds = st.sampled_from(sorted(SEEDS.items())).map(lambda kv: bytes([LOADERS.index(kv[0])]) + kv[1].encode())
    edit = st.tuples(st.floats(0, 1), st.integers(0, 12), st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=12)))

    def apply(seed: bytes, edits: list[tuple[float, int, bytes]]) -> bytes:
        data = bytearray(seed)
        for where, cut, piece in edits:
            at = 1 + int(where * (len(data) - 1))
            data[at:at + cut] = piece
        return bytes(data)

    return st.one_of(
        st.builds(apply, seeds, st.lists(edit, min_size=1, max_size=6)),
        st.binary(max_size=600),
        st.builds(lambda n, s: bytes([n]) + s.encode("utf-8", "surrogatepass"),
                  st.integers(0, len(LOADERS) - 1), st.text(max_size=300)),
    )


def fuzz_with_hypothesis(runs: int, seed: int | None) -> None:
    from hypothesis import HealthCheck, Phase, given, settings, seed as fixed_seed

    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as directory:
        workdir = Path(directory)

        @settings(max_examples=runs, deadline=None, database=None,
                  phases=[Phase.generate, Phase.shrink] if runs else [Phase.explicit],
                  suppress_health_check=list(HealthCheck))
        @given(_mutated())
        def target(data: bytes) -> None:
            run_one(data, workdir)

        if seed is not None:
            target = fixed_seed(seed)(target)
        target()


def fuzz_with_atheris(argv: list[str]) -> None:
    import atheris

    workdir = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
    atheris.Setup(argv, lambda data: run_one(data, workdir))
    atheris.Fuzz()


def main(argv: list[str]) -> int:
    if "-atheris" in argv:
        fuzz_with_atheris([a for a in argv if a != "-atheris"])
        return 0
    parser = argparse.ArgumentParser(description="Fuzz kg's loaders (Hypothesis driver).")
    parser.add_argument("--runs", type=int, default=1000, help="How many inputs to try (default 1000).")
    parser.add_argument("--seed", type=int, default=None, help="Repeat a run: the same seed gives the same inputs.")
    args = parser.parse_args(argv[1:])
    fuzz_with_hypothesis(args.runs, args.seed)
    print(f"fuzz_loaders: {args.runs} inputs, no crash")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
