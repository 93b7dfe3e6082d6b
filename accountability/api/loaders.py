"""DataLoaders, made per request, so nested fields cost one query per level, not per node."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, replace

from strawberry.dataloader import DataLoader

from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType
from accountability.services.container import Services
from accountability.services.reads import Ahead, ClaimSpec, NestedReads
from accountability.services.records import ClaimRecord, NodeRecord, Page


@dataclass(frozen=True)
class ClaimPageKey:
    """One node's claims page request; keys with equal arguments are batched together."""

    node_id: str
    direction: str
    types: tuple[ClaimType, ...] | None
    include_retracted: bool
    first: int
    after: str | None


@dataclass(frozen=True)
class AheadKey:
    """One node's claims page, and what the field's selection reads beyond the claims
    (docs/design.md, "Look-ahead reads")."""

    node_id: str
    spec: ClaimSpec


@dataclass(frozen=True)
class EvidencePageKey:
    evidence_id: str
    include_retracted: bool
    first: int
    after: str | None


class Loaders:
    """The loaders of one request."""

    def __init__(self, services: Services, viewer: Viewer) -> None:
        self.services = services
        self.viewer = viewer
        self.node = DataLoader(self._load_nodes)
        self.claim_page = DataLoader(self._load_claim_pages)
        self.claims_ahead = DataLoader(self._load_claims_ahead)
        self.evidence_page = DataLoader(self._load_evidence_pages)
        self.reads = NestedReads(services.db, services.nodes, services.claims)

    async def _load_nodes(self, ids: list[str]) -> list[NodeRecord | None]:
        found = await self.services.nodes.get_many(ids, self.viewer)
        return [found.get(i) for i in ids]

    async def _load_claim_pages(self, keys: list[ClaimPageKey]) -> list[Page[ClaimRecord]]:
        groups: dict[ClaimPageKey, list[str]] = defaultdict(list)
        for k in keys:
            groups[replace(k, node_id="")].append(k.node_id)
        results: dict[ClaimPageKey, Page[ClaimRecord]] = {}
        for args, ids in groups.items():
            pages = await self.services.claims.for_nodes(
                ids,
                args.direction,
                list(args.types) if args.types else None,
                args.include_retracted,
                args.first,
                args.after,
                self.viewer,
            )
            for node_id, page in pages.items():
                results[replace(args, node_id=node_id)] = page
        return [results[k] for k in keys]

    def prime_ahead(self, ahead: Ahead, skip: Set[AheadKey] = frozenset()) -> None:
        """Put what a look-ahead read found where the resolvers look: its nodes, and its
        pages under the keys their ``claims`` fields ask for (but those in ``skip``, the
        keys of the batch being loaded)."""
        self.node.prime_many(ahead.nodes)
        self.claims_ahead.prime_many(
            {
                key: page
                for (node_id, spec), page in ahead.pages.items()
                if (key := AheadKey(node_id, spec)) not in skip
            }
        )

    def page_read(self, key: AheadKey) -> Page[ClaimRecord] | None:
        """The page of this key when it has been read already (ahead, or by a sibling's
        batch), else None: its field then resolves at once, without a coroutine."""
        read = self.claims_ahead.cache_map.get(key)
        if read is None or not read.done() or read.cancelled() or read.exception():
            return None
        page: Page[ClaimRecord] = read.result()
        return page

    async def _load_claims_ahead(
        self, keys: list[AheadKey]
    ) -> list[Page[ClaimRecord] | BaseException]:
        """Every sibling's page in one statement, with the nodes their selections read
        next (other ends, evidence) put in the node loader, so those cost no query."""
        ahead = await self.reads.claims_ahead([(k.node_id, k.spec) for k in keys], self.viewer)
        # The levels below, read with this one: their fields resolve without a read.
        self.prime_ahead(ahead, skip=set(keys))
        return [
            refused if (refused := ahead.refused.get(k.spec)) else ahead.pages[(k.node_id, k.spec)]
            for k in keys
        ]

    async def _load_evidence_pages(self, keys: list[EvidencePageKey]) -> list[Page[ClaimRecord]]:
        groups: dict[EvidencePageKey, list[str]] = defaultdict(list)
        for k in keys:
            groups[replace(k, evidence_id="")].append(k.evidence_id)
        results: dict[EvidencePageKey, Page[ClaimRecord]] = {}
        for args, ids in groups.items():
            pages = await self.services.claims.for_evidence(
                ids, args.include_retracted, args.first, args.after, self.viewer
            )
            for eid, page in pages.items():
                results[replace(args, evidence_id=eid)] = page
        return [results[k] for k in keys]
