"""Raw articles: reading .txt, .md, .html and .jsonl/.csv collections into text and metadata.

The text kept is exactly what extraction reads and what evidence offsets point into; for HTML
it is trafilatura's main text, with navigation, scripts and boilerplate removed. Files are
checked before they are parsed: size, NUL bytes, and an encoding that can be told (UTF-8 first,
then charset detection, so cp1251 Cyrillic comes out right).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kg.errors import InputError
from kg.identity import is_fuzzy_date
from kg.yamlsafe import LineDict, parse_yaml_text

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_DATE_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_COLLECTION_FIELDS = {"url", "title", "publisher", "date", "text"}


@dataclass(frozen=True)
class RawArticle:
    text: str
    source: str  # file, or file:line for an item of a collection
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    encoding: str = "utf-8"


def max_article_bytes() -> int:
    configured = os.environ.get("KG_MAX_ARTICLE_BYTES")
    if configured:
        try:
            return int(configured)
        except ValueError:
            raise InputError(f"KG_MAX_ARTICLE_BYTES must be a whole number of bytes, got {configured!r}") from None
    return DEFAULT_MAX_BYTES


def decode(data: bytes, where: str) -> tuple[str, str]:
    """The text and the name of its encoding; an error for binary data or undecidable bytes."""
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes)", where=where)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot tell the text encoding", where=where)
    return str(best), best.encoding


def read_file_bytes(path: Path) -> bytes:
    where = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=where) from None
    limit = max_article_bytes()
    if size > limit:
        raise InputError(f"file is {size} bytes, over the limit of {limit} (KG_MAX_ARTICLE_BYTES)", where=where)
    if size == 0:
        raise InputError("empty file", where=where)
    return path.read_bytes()


def _date(value: object) -> str | None:
    """The ISO date at the start of a metadata value (2023-03-14T09:00:00Z gives 2023-03-14)."""
    if not value:
        return None
    match = _DATE_PREFIX.match(str(value))
    return match.group(0) if match and is_fuzzy_date(match.group(0)) else None


def _checked(article: RawArticle) -> RawArticle:
    if not article.text.strip():
        raise InputError("the article has no text (nothing to extract)", where=article.source)
    if any(0xD800 <= ord(c) <= 0xDFFF for c in article.text):
        raise InputError("the text holds lone surrogates, which are not Unicode text", where=article.source)
    return article


def read_articles(path: Path) -> Iterator[RawArticle]:
    """The articles in one file: one for .txt, .md and .html, one per line or row for .jsonl/.csv."""
    suffix = path.suffix.lower()
    where = str(path)
    text, encoding = decode(read_file_bytes(path), where)
    if suffix == ".txt":
        title = next((line.strip() for line in text.splitlines() if line.strip()), None)
        yield _checked(RawArticle(text=text, source=where, title=title, encoding=encoding))
    elif suffix == ".md":
        yield _checked(_markdown(text, where, encoding))
    elif suffix in (".html", ".htm"):
        yield _checked(_html(text, where, encoding))
    elif suffix == ".jsonl":
        yield from _jsonl(text, where, encoding)
    elif suffix == ".csv":
        yield from _csv(text, where, encoding)
    else:
        raise InputError(f"not an article file ({', '.join(ARTICLE_SUFFIXES)})", where=where)


def _markdown(text: str, where: str, encoding: str) -> RawArticle:
    """Markdown with optional YAML front matter (title, url, publisher, date) above the text."""
    meta: dict = {}
    match = _FRONT_MATTER.match(text)
    if match:
        parsed = parse_yaml_text(match.group(1), where)
        if not isinstance(parsed, LineDict):
            raise InputError("the front matter must be a mapping", where=f"{where}:2")
        unknown = set(parsed) - {"title", "url", "publisher", "date"}
        if unknown:
            key = sorted(unknown)[0]
            raise InputError(f"unknown front-matter field {key!r}", where=f"{where}:{parsed.line_of(key) + 1}")
        meta = dict(parsed)
        text = text[match.end():]
    title = meta.get("title") or next((line.strip("# ").strip() for line in text.splitlines() if line.strip()), None)
    return RawArticle(text=text, source=where, title=title, url=meta.get("url"), publisher=meta.get("publisher"),
                      published=_date(meta.get("date")), encoding=encoding)


def _html(markup: str, where: str, encoding: str) -> RawArticle:
    import trafilatura

    # trafilatura parses with lxml's HTML parser, which neither loads DTDs nor resolves
    # external entities; scripts, styles and iframes are dropped with the boilerplate.
    try:
        document = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False,
                                               include_tables=False, include_images=False, include_links=False)
    except (RecursionError, ValueError) as exc:
        raise InputError(f"cannot extract the article from the HTML ({type(exc).__name__})", where=where) from None
    if document is None:
        raise InputError("the HTML holds no article text (nothing to extract)", where=where)
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return RawArticle(
        text=fields.get("text") or "", source=where, title=fields.get("title"), url=fields.get("url"),
        publisher=fields.get("sitename"), published=_date(fields.get("date")), encoding=encoding,
    )


def _collection_item(record: object, where: str, encoding: str) -> RawArticle:
    if not isinstance(record, dict):
        raise InputError("each item must be an object with url, title, publisher, date and text", where=where)
    unknown = set(record) - _COLLECTION_FIELDS
    if unknown:
        raise InputError(f"unknown field {sorted(unknown)[0]!r} (known: {', '.join(sorted(_COLLECTION_FIELDS))})",
                         where=where)
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError("the item has no text", where=where)
    def field(name: str) -> str | None:
        value = record.get(name)
        return str(value) if value not in (None, "") else None
    return _checked(RawArticle(text=text, source=where, title=field("title"), url=field("url"),
                               publisher=field("publisher"), published=_date(record.get("date")), encoding=encoding))


def _jsonl(text: str, where: str, encoding: str) -> Iterator[RawArticle]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON: {exc.msg}", where=f"{where}:{number}") from None
        yield _collection_item(record, f"{where}:{number}", encoding)


def _csv(text: str, where: str, encoding: str) -> Iterator[RawArticle]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise InputError("a CSV collection needs a header row with a text column", where=f"{where}:1")
        for record in reader:
            yield _collection_item({k: v for k, v in record.items() if k is not None}, f"{where}:{reader.line_num}",
                                   encoding)
    except csv.Error as exc:  # e.g. a NUL byte or a stray carriage return inside a field
        raise InputError(f"not CSV: {exc}", where=f"{where}:{reader.line_num + 1}") from None  # the line being read
