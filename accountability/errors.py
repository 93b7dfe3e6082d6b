"""The service's errors; each carries the GraphQL ``extensions.code`` clients see and the
HTTP status a plain HTTP answer gives it. Driver errors become these in ``graph/errors.py``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where."""

    where: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}


class AccountabilityError(Exception):
    """Base of every error whose message may be shown to a client."""

    code = "INTERNAL"
    http_status = 500

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def extensions(self) -> dict[str, object]:
        ext: dict[str, object] = {"code": self.code}
        if self.problems:
            ext["problems"] = [p.as_dict() for p in self.problems]
        return ext


class ValidationFailed(AccountabilityError):
    """The input is malformed or breaks a rule of the domain; nothing was written."""

    code = "BAD_USER_INPUT"
    http_status = 400

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> ValidationFailed:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        return cls(f"{first.where}: {first.message}{more}", problems)


class NotFound(AccountabilityError):
    """A referenced id does not exist."""

    code = "NOT_FOUND"
    http_status = 404


class Unauthenticated(AccountabilityError):
    """No valid token was presented."""

    code = "UNAUTHENTICATED"
    http_status = 401


class Forbidden(AccountabilityError):
    """The caller's role does not allow this."""

    code = "FORBIDDEN"
    http_status = 403


class Conflict(AccountabilityError):
    """The write collides with what is stored (an id in use, a retracted claim)."""

    code = "CONFLICT"
    http_status = 409


class WriteCollision(Conflict):
    """A uniqueness constraint stopped a write: another writer committed the same key
    first. ``Database.write`` retries it; the retry re-reads inside its transaction and
    either succeeds or finds a genuine ``Conflict``."""


class DatabaseUnavailable(AccountabilityError):
    """The database cannot be reached or does not answer."""

    code = "DATABASE_UNAVAILABLE"
    http_status = 503


class QueryTimeout(AccountabilityError):
    """A database query ran past its time-out."""

    code = "QUERY_TIMEOUT"
    http_status = 504


class QueryOutOfMemory(AccountabilityError):
    """The database refused a query for want of memory (its heap, or its query budget)."""

    code = "QUERY_OUT_OF_MEMORY"
    http_status = 503


class EngineError(AccountabilityError):
    """The embedded engine could not start, or died."""

    code = "ENGINE_ERROR"
    http_status = 503


@dataclass
class ProblemList:
    """Collects problems while validating, so that every one is reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(Problem(where, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed.of(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def problems_from_validation(exc: Exception, prefix: str) -> list[Problem]:
    """Pydantic's errors as problems, each located under ``prefix``."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return [Problem(prefix, str(exc))]
    out = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(part) for part in err["loc"] if part not in ("function-after",))
        where = f"{prefix}.{loc}" if loc else prefix
        message = err["msg"].removeprefix("Value error, ")
        out.append(Problem(where, message))
    return out
