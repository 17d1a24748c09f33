"""Chain of custody: every article's text is checked against the sha256 taken when it was loaded."""

from __future__ import annotations

from dataclasses import dataclass

from kg.identity import article_id, text_sha256
from kg.stores.base import GraphStore

_ARTICLES = "MATCH (a:Article) RETURN a.id AS id, a.sha256 AS sha256, a.text AS text, a.title AS title ORDER BY a.id"


@dataclass(frozen=True)
class ArticleCheck:
    id: str
    title: str
    ok: bool
    problem: str


def verify_articles(store: GraphStore) -> list[ArticleCheck]:
    """Re-hash every stored article. A text whose hash differs from the one recorded at load
    time (or from the one its id was made from) has been changed since."""
    checks = []
    for record in store.run(_ARTICLES).records():
        text = record["text"] or ""
        actual = text_sha256(text)
        if actual != record["sha256"]:
            problem = f"text hashes to {actual[:16]}…, recorded {str(record['sha256'])[:16]}…"
        elif article_id(actual) != record["id"]:
            problem = "the id was not made from this text"
        else:
            problem = ""
        checks.append(ArticleCheck(record["id"], record["title"] or "", not problem, problem))
    return checks
