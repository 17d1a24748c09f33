"""The errors kg raises for conditions a user can act on.

Every one of them is a KGError; the CLI prints it as one line and exits non-zero. Anything
else that escapes is a bug in kg, not a user error.
"""

from __future__ import annotations


class KGError(Exception):
    """A problem the user can fix. `where` names the file, file:line or item at fault."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def __reduce__(self):  # type: ignore[override]
        # Errors raised in worker processes reach the parent by pickle; keep `where` with them.
        return (_rebuild, (type(self), self.message, self.where))


def _rebuild(cls: type[KGError], message: str, where: str | None) -> KGError:
    error = cls.__new__(cls)
    KGError.__init__(error, message, where=where)
    return error


class InputError(KGError):
    """An input file that cannot be read or does not follow its format."""


class YAMLSyntaxError(InputError):
    """Not well-formed YAML, or YAML features a case file may not use (tags, aliases, duplicate keys)."""


class CaseFileError(InputError):
    """A case file that is valid YAML but breaks the case-file schema."""


class QuoteNotFoundError(CaseFileError):
    """A quoted statement or evidence that does not stand verbatim in the article."""


class AmbiguousQuoteError(CaseFileError):
    """Quoted words that appear more than once in the article, with no occurrence to pick one."""


class ShapeViolationError(InputError):
    """Data that breaks a SHACL shape of the ontology."""


class OntologyError(KGError):
    """A label, relationship type, property or value the ontology does not declare."""


class StoreError(KGError):
    """The graph store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the embedded store."""


class StoreConnectionError(StoreError):
    """The graph server cannot be reached, or refused the credentials."""


class QueryError(KGError):
    """A named or ad hoc query that cannot be run as asked."""


class UnknownQueryError(QueryError):
    """No named query of that name."""


class QueryParameterError(QueryError):
    """A missing, unknown or malformed query parameter."""


class WriteNotAllowedError(QueryError):
    """A query that would write, run without permission to write."""


class UnknownActorError(QueryError):
    """A name that matches no actor in the store, or more than one."""
