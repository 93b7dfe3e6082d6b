"""Driver errors as ours, chosen by the Neo4j status code the server sends (``exc.code``),
never by the exception's class alone or its wording: the class is the driver's guess from
the code's classification, and the wording differs between Neo4j and the embedded engine.

What the embedded ArcadeDB engine (26.10) was seen to send over Bolt:

- a duplicate key under a uniqueness constraint, in one transaction or between two
  concurrent ones (at commit): ``Neo.ClientError.Schema.ConstraintValidationFailed``;
- two transactions changing one record: ``Neo.TransientError.Transaction.DeadlockDetected``
  ("concurrent change to the same record"), which the driver's managed transactions retry;
- a query past ``arcadedb.command.timeout``: ``Neo.ClientError.Transaction.TransactionTimedOut``;
- a query over the heap budget that all running queries share:
  ``Neo.DatabaseError.General.UnknownError`` with "Query heap budget exceeded" — the one
  case where the code alone says too little, so that code's message is read too.

Neo4j 5 sends the same constraint and time-out codes (``TransactionTimedOutClientConfiguration``
for a driver-set time-out) and reports memory limits under ``Neo.TransientError.General``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import exceptions as neo4j_errors

from accountability.errors import (
    AccountabilityError,
    DatabaseUnavailable,
    QueryOutOfMemory,
    QueryTimeout,
    WriteCollision,
)

CONSTRAINT_FAILED = "Neo.ClientError.Schema.ConstraintValidationFailed"
#: A prefix: Neo4j adds ``…ClientConfiguration`` when the driver's time-out fired.
TIMED_OUT = "Neo.ClientError.Transaction.TransactionTimedOut"
MEMORY_CODES = frozenset(
    {
        "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        "Neo.TransientError.General.TransactionMemoryLimit",
        "Neo.TransientError.General.OutOfMemoryError",
    }
)
UNKNOWN_ERROR = "Neo.DatabaseError.General.UnknownError"
ARCADEDB_HEAP_BUDGET = "Query heap budget exceeded"
UNAVAILABLE_CODES = frozenset(
    {
        "Neo.ClientError.Database.DatabaseNotFound",
        "Neo.TransientError.General.DatabaseUnavailable",
    }
)
TRANSIENT = "Neo.TransientError."
#: The setting that sizes the embedded engine's heap, named as an operator sets it.
HEAP_SETTING = "ACCOUNTABILITY_EMBEDDED_HEAP_MB"


def driver_error(exc: Exception, heap_mb: int | None = None) -> AccountabilityError | None:
    """Our error for a driver error, or None for one that is a fault of ours (a syntax
    error, a bad parameter): those pass unchanged, to be logged and masked to clients.
    ``heap_mb`` is the embedded engine's heap, None on Neo4j."""
    if isinstance(exc, neo4j_errors.IncompleteCommit):
        # Not retried by the driver, rightly: the commit may have been applied.
        return DatabaseUnavailable(
            "the database stopped answering during a commit: the write may or may not have "
            "been saved; read it back before trying again"
        )
    if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
        return DatabaseUnavailable("the database is not reachable")
    if not isinstance(exc, neo4j_errors.Neo4jError):
        return None
    code = exc.code or ""
    if code == CONSTRAINT_FAILED:
        return WriteCollision("the write collides with a record another writer saved first")
    if code.startswith(TIMED_OUT):
        return QueryTimeout("the query ran past its time-out")
    if code in MEMORY_CODES or (
        code == UNKNOWN_ERROR and ARCADEDB_HEAP_BUDGET in (exc.message or "")
    ):
        if heap_mb is None:
            return QueryOutOfMemory(
                "the query needed more memory than the database allows (see its "
                "db.memory.transaction settings)"
            )
        return QueryOutOfMemory(
            f"the embedded database ran out of query memory ({heap_mb} MB heap): raise "
            f"{HEAP_SETTING} and restart the service"
        )
    if code in UNAVAILABLE_CODES:
        return DatabaseUnavailable("the database is not available")
    if code.startswith(TRANSIENT):
        # The driver's managed transactions retried it for their whole retry time.
        return DatabaseUnavailable("the database stayed busy; try again")
    return None


@contextmanager
def mapped_driver_errors(heap_mb: int | None = None) -> Iterator[None]:
    """Turn driver errors into ours (see ``driver_error``); others pass unchanged."""
    try:
        yield
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
        ours = driver_error(exc, heap_mb)
        if ours is None:
            raise
        raise ours from exc
