"""Loading files into a store: case files and raw articles.

Case files are all read and validated before the first write, so a mistake in the tenth file
of a folder leaves the store as it was (the validated records wait in a temporary file, not in
memory). Raw articles (.txt, .md, .html, .jsonl, .csv) are read
and extracted as a stream, a group at a time, so a folder of any size loads in bounded
memory; every group is one transaction. Case files are written first: where a case file and an
extraction cover the same article, the curated statements and events stand, and extracted
ones overlapping them are dropped (see `curated_spans`).
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from kg import identity
from kg.articles import ARTICLE_SUFFIXES, RawArticle, read_articles
from kg.audit import AuditChain, audit_entry
from kg.casefile import load_casefile
from kg.collector import cycle_collector_paused
from kg.errors import InputError
from kg.extractors import get_extractor
from kg.ontology import Ontology, load_ontology
from kg.records import ArticleBundle
from kg.stores.base import GraphStore, WriteSummary
from kg.yamlsafe import LineDict, load_yaml_file

CASEFILE_SUFFIXES = (".yaml", ".yml")

# Which articles of a group are stored already: a seek by id. Only those can hold curated spans,
# so a bulk load of new articles asks nothing more. Asking for the spans of every article of the
# group in one query let LadybugDB plan a scan of all statements against the group (filtering
# statements by their own properties there): 0.33 s a group at 100,000 articles, none found.
_STORED_ARTICLES = "UNWIND $ids AS wanted MATCH (a:Article {id: wanted}) RETURN a.id"
# What is reported in those articles; case-file items of that very text are filtered here, in
# Python, for the same reason.
_REPORTED_SPANS = (
    "UNWIND $ids AS wanted MATCH (a:Article {id: wanted}) MATCH (a)<-[:REPORTED_IN]-(n:Statement) "
    "RETURN a.sha256 AS sha, n.article_sha256 AS of, n.produced_by AS produced_by, "
    "n.start_offset AS start_offset, n.end_offset AS end_offset "
    "UNION ALL "
    "UNWIND $ids AS wanted MATCH (a:Article {id: wanted}) MATCH (a)<-[:REPORTED_IN]-(n:Event) "
    "RETURN a.sha256 AS sha, n.article_sha256 AS of, n.produced_by AS produced_by, "
    "n.start_offset AS start_offset, n.end_offset AS end_offset"
)


@dataclass(frozen=True)
class LoadReport:
    files: int
    articles: int
    written: WriteSummary


def is_casefile(path: Path) -> bool:
    return path.suffix.lower() in CASEFILE_SUFFIXES


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, or the case files and articles below the folders named, in a
    stable order. In a folder, a text file that a case file there names as its text_file is
    that case file's article, not an article of its own."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in CASEFILE_SUFFIXES + ARTICLE_SUFFIXES)
            curated_texts = {_text_file_of(p) for p in inside if is_casefile(p)}
            found.extend(p for p in inside if p.resolve() not in curated_texts)
        elif path.exists():
            found.append(path)
        else:
            raise InputError("no such file or folder", where=str(path))
    if not found:
        raise InputError("no case files or articles found", where=", ".join(str(p) for p in paths))
    return found


def _text_file_of(casefile: Path) -> Path | None:
    try:
        raw = load_yaml_file(casefile)
    except InputError:
        return None  # reported when the case file itself is read
    article = raw.get("article") if isinstance(raw, LineDict) else None
    text_file = article.get("text_file") if isinstance(article, LineDict) else None
    return (casefile.parent / text_file).resolve() if isinstance(text_file, str) else None


def extracted_bundle(article: RawArticle, extractor: str = "rules") -> ArticleBundle:
    result = get_extractor(extractor)(
        article.text, url=article.url, title=article.title, publisher=article.publisher,
        published=article.published, source=article.source,
    )
    bundle = result.to_bundle()
    bundle.article = replace(bundle.article, props={**bundle.article.props, "encoding": article.encoding})
    return bundle


def read_bundle(path: Path) -> ArticleBundle:
    """One case file's records (used by kg validate)."""
    if is_casefile(path):
        return load_casefile(path)
    raise InputError("not a case file (.yaml or .yml)", where=str(path))


def without_curated(bundle: ArticleBundle, curated: Sequence[tuple[int, int]]) -> ArticleBundle:
    """The extracted bundle less its statements and events that overlap curated ones by half
    of the shorter span, and less the relationships that touched them."""
    def overlaps(props) -> bool:
        start, end = props.get("start_offset"), props.get("end_offset")
        if start is None:
            return False
        return any(min(end, e) - max(start, s) >= 0.5 * min(end - start, e - s) for s, e in curated)

    dropped = {n.id for n in bundle.nodes if n.label in ("Statement", "Event") and overlaps(n.props)}
    if not dropped:
        return bundle
    return ArticleBundle(
        origin=bundle.origin,
        article=bundle.article,
        curated=bundle.curated,
        nodes=[n for n in bundle.nodes if n.id not in dropped],
        edges=[e for e in bundle.edges if e.source not in dropped and e.target not in dropped],
    )


def curated_spans(store: GraphStore, shas: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """The spans of the case-file statements and events of each of these article texts."""
    stored = sorted(row[0] for row in store.run(_STORED_ARTICLES, {"ids": [identity.article_id(sha) for sha in shas]}).rows)
    spans: dict[str, list[tuple[int, int]]] = {}
    if not stored:
        return spans
    for record in store.run(_REPORTED_SPANS, {"ids": stored}).records():
        curated = (record["produced_by"] or "").startswith("casefile:") and record["of"] == record["sha"]
        if curated and record["start_offset"] is not None:
            spans.setdefault(record["sha"], []).append((record["start_offset"], record["end_offset"]))
    return spans


def _groups(items: Iterator, size: int) -> Iterator[list]:
    while group := list(islice(items, size)):
        yield group


# Each group costs some forty statements, each planned afresh (the connection is renewed after
# every transaction, see LadybugStore.transaction), and a commit: 3,000 articles in groups of 300
# spent 1.4-1.5x less time in LadybugDB than in groups of 100 (500: the same again, 1,000: no
# better). On Neo4j, 500 against 100 gained 1.05x (benchmarks/RESULTS.md, session 7).
DEFAULT_PER_TRANSACTION = 500


def load_paths(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    per_transaction: int = DEFAULT_PER_TRANSACTION,
    extractor: str = "rules",
    workers: int = 1,
    on_progress: Callable[[Path], None] | None = None,
) -> LoadReport:
    """Load case files and raw articles; per_transaction articles are written together.

    With workers > 1, case files are parsed and articles extracted in that many processes
    while this one writes; the result is the same graph, in the same order."""
    if per_transaction < 1:
        raise InputError("articles per transaction must be at least 1")
    if workers < 1:
        raise InputError("workers must be at least 1")
    files = find_inputs(paths)
    casefiles = [p for p in files if is_casefile(p)]
    article_files = [p for p in files if not is_casefile(p)]

    written = WriteSummary()
    articles = 0
    chain = AuditChain(store)

    def write(group: list[ArticleBundle]) -> None:
        nonlocal written, articles
        entry = chain.link(audit_entry("load", ", ".join(b.origin for b in group),
                                       hashes=[b.article.props["sha256"] for b in group]))
        written = written + store.write_bundles(group, extra=[entry])
        articles += len(group)
        # The collector is paused (below), and the stores' drivers leave cycles: Neo4j's holds
        # each result, with the rows it was sent, in one (a 100,000-article load grew to 5.3 GB).
        # The young generations hold what this transaction made; collecting them costs the
        # writer about 5% (10,000 articles: CPU 21.0 -> 22.0 s).
        gc.collect(1)

    # With the store's ontology the default one, the workers check each bundle as they make it
    # (checking took a tenth of the writer's time at 10,000 articles); a pickled bundle forgets
    # that it was checked, so the writer takes their word for it.
    checked_by_workers = store.ontology is load_ontology()

    def accept(bundle: ArticleBundle) -> ArticleBundle:
        if checked_by_workers:
            bundle.mark_checked(store.ontology)
        else:
            bundle.check(store.ontology)
        return bundle

    # The writer unpickles its workers' bundles and builds rows from them: with the cycle
    # collector on, it spent a fifth of its time rescanning them (10,000 articles: writer CPU
    # 27.2 -> 21.0 s paused). They hold no cycles; what the drivers leave is collected after
    # each transaction (see write).
    with cycle_collector_paused(), _mapper(workers) as mapped, _Spool(store.ontology) as spool:
        # Every case file is validated before the first write; the spool keeps the parsed
        # records on disk meanwhile, so memory stays bounded however many there are.
        for bundle in mapped(partial(_parse, check=checked_by_workers), iter(casefiles), per_transaction):
            spool.add(accept(bundle))
        progress = iter(casefiles)
        for group in _groups(iter(spool), per_transaction):
            write(group)
            if on_progress:
                for path in islice(progress, len(group)):
                    on_progress(path)

        def raw_articles() -> Iterator[tuple[RawArticle, str]]:
            for path in article_files:
                for article in read_articles(path):
                    yield article, extractor
                if on_progress:
                    on_progress(path)

        extract = partial(_extract, check=checked_by_workers)
        for group in _groups(mapped(extract, raw_articles(), per_transaction), per_transaction):
            spans = curated_spans(store, [b.article.props["sha256"] for b in group])
            write([without_curated(accept(b), spans.get(b.article.props["sha256"], [])) for b in group])
    return LoadReport(files=len(files), articles=articles, written=written)


def _extract(item: tuple[RawArticle, str], check: bool) -> ArticleBundle:
    article, extractor = item
    return _checked(extracted_bundle(article, extractor), check)


def _parse(casefile: Path, check: bool) -> ArticleBundle:
    return _checked(load_casefile(casefile), check)


def _checked(bundle: ArticleBundle, check: bool) -> ArticleBundle:
    if check:
        bundle.check(load_ontology())
    return bundle


class _Spool:
    """Validated bundles kept in a temporary file (our own pickles, read back once, in order)."""

    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology

    def __enter__(self) -> "_Spool":
        self._file = tempfile.TemporaryFile()
        self._count = 0
        return self

    def add(self, bundle: ArticleBundle) -> None:
        pickle.dump(bundle, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __iter__(self) -> Iterator[ArticleBundle]:
        self._file.seek(0)
        for _ in range(self._count):
            bundle = pickle.load(self._file)
            bundle.mark_checked(self.ontology)  # only checked bundles are added
            yield bundle

    def __exit__(self, *exc: object) -> None:
        self._file.close()


@contextmanager
def _mapper(workers: int) -> Iterator[Callable[[Callable, Iterator, int], Iterator]]:
    """map(function, items, window) in order: in this process, or in a pool of worker processes
    that works on the next window of items while the caller writes the last one (never more than
    two windows in flight, so a stream of any length stays in bounded memory)."""
    if workers == 1:
        yield lambda function, items, window: map(function, items)
        return
    # spawn, not fork: the parent holds an open database and its threads.
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        def mapped(function: Callable, items: Iterator, window: int) -> Iterator:
            chunk = max(1, window // (4 * workers))
            pending = None
            for batch in _groups(items, window):
                submitted = pool.map_async(function, batch, chunksize=chunk)
                if pending is not None:
                    yield from pending.get()
                pending = submitted
            if pending is not None:
                yield from pending.get()

        yield mapped
