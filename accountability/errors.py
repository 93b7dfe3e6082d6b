"""The service's errors; each carries the GraphQL ``extensions.code`` clients see."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from neo4j import exceptions as neo4j_errors


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

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> ValidationFailed:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        return cls(f"{first.where}: {first.message}{more}", problems)


class NotFound(AccountabilityError):
    """A referenced id does not exist."""

    code = "NOT_FOUND"


class Unauthenticated(AccountabilityError):
    """No valid token was presented."""

    code = "UNAUTHENTICATED"


class Forbidden(AccountabilityError):
    """The caller's role does not allow this."""

    code = "FORBIDDEN"


class Conflict(AccountabilityError):
    """The write collides with what is stored (an id in use, a retracted claim)."""

    code = "CONFLICT"


class WriteCollision(Conflict):
    """A uniqueness constraint stopped a write; concurrent writers resolve it by retrying."""


class DatabaseUnavailable(AccountabilityError):
    """The database cannot be reached or does not answer."""

    code = "DATABASE_UNAVAILABLE"


class QueryTimeout(AccountabilityError):
    """A database query ran past its time-out."""

    code = "QUERY_TIMEOUT"


class EngineError(AccountabilityError):
    """The embedded engine could not start, or died."""

    code = "ENGINE_ERROR"


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


@contextmanager
def mapped_driver_errors() -> Iterator[None]:
    """Turn driver exceptions into ours, most specific first."""
    try:
        yield
    except neo4j_errors.ConstraintError as exc:
        raise Conflict("the write collides with an existing record (an id already in use)") from exc
    except neo4j_errors.ServiceUnavailable as exc:
        raise DatabaseUnavailable("the database is not reachable") from exc
    except neo4j_errors.ClientError as exc:
        if "timed out" in str(exc).lower() or "TransactionTimedOut" in str(exc):
            raise QueryTimeout("the query ran past its time-out") from exc
        raise
    except neo4j_errors.TransientError as exc:
        if "timed out" in str(exc).lower() or "TransactionTimedOut" in str(exc):
            raise QueryTimeout("the query ran past its time-out") from exc
        raise


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
