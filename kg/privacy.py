"""Pseudonyms for sensitive people.

Outputs that leave the store (visuals, exports, reports) show a sensitive actor as a stable
pseudonym. The pseudonym is a keyed HMAC of the actor's id, so nobody without the key can
recompute it from a list of candidate names; the key is kept apart from the data: in
KG_PSEUDONYM_KEY, or in a key file beside (not inside) the graph database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from kg.errors import KGError

KEY_ENV = "KG_PSEUDONYM_KEY"
KEY_FILE = "pseudonym.key"


def _user_key_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "kg" / KEY_FILE


def pseudonym_key(store_directory: Path | None) -> bytes:
    """$KG_PSEUDONYM_KEY; else the key file beside an embedded store's database; else, for a
    server store, the user's own key file (~/.config/kg/pseudonym.key). A missing file is made
    with a random key, readable by its owner only. Teams sharing a server share the variable."""
    configured = os.environ.get(KEY_ENV)
    if configured:
        return configured.encode("utf-8")
    path = store_directory / KEY_FILE if store_directory is not None else _user_key_path()
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
        key = path.read_text().strip().encode("utf-8")
    except OSError as exc:
        raise KGError(f"cannot read or create the pseudonym key: {exc.strerror}; or set {KEY_ENV}",
                      where=str(path)) from None
    if len(key) < 32:
        raise KGError(f"the pseudonym key file is too short; restore it or set {KEY_ENV}", where=str(path))
    return key


def pseudonym(actor_id: str, key: bytes) -> str:
    """The stable name a sensitive actor is shown under: the same id and key always give the
    same pseudonym, and without the key it cannot be traced back to the id or the name."""
    if not key:
        raise KGError("the pseudonym key is empty")
    tag = hmac.new(key, actor_id.encode("utf-8"), hashlib.sha256).hexdigest()[:6]
    return f"Protected person {tag}"


class Redactor:
    """Replaces the names and aliases of sensitive actors with their pseudonyms in any output."""

    def __init__(self, replacements: dict[str, str]) -> None:
        # Longest names first, so "Father of X" is replaced before "X" could be.
        self._replacements = sorted(replacements.items(), key=lambda kv: -len(kv[0]))

    @classmethod
    def for_store(cls, store, *, reveal: bool = False) -> "Redactor":
        if reveal:
            return cls({})
        rows = store.run(
            "MATCH (a:Actor) WHERE a.sensitive = true RETURN a.id AS id, a.name AS name, a.aliases AS aliases"
        ).rows
        if not rows:
            return cls({})
        key = pseudonym_key(getattr(store, "directory", None))
        replacements = {}
        for actor_id, name, aliases in rows:
            alias = pseudonym(actor_id, key)
            replacements[actor_id] = alias
            for value in [name, *(aliases or [])]:
                if value:
                    replacements[value] = alias
        return cls(replacements)

    def text(self, value):
        if isinstance(value, str):
            for original, alias in self._replacements:
                if original in value:
                    value = value.replace(original, alias)
            return value
        if isinstance(value, list):
            return [self.text(v) for v in value]
        if isinstance(value, dict):
            return {k: self.text(v) for k, v in value.items()}
        return value

    def result(self, result):
        from kg.stores.base import QueryResult

        if not self._replacements:
            return result
        return QueryResult(result.columns, [[self.text(v) for v in row] for row in result.rows])
