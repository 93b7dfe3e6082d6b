"""What every resolver gets: the services, who is asking, and the request's loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as _Info

from accountability.api.loaders import Loaders
from accountability.domain.redaction import Viewer
from accountability.services.container import Services
from accountability.services.reads import ClaimSpec
from accountability.settings import Settings


@dataclass
class Context:
    services: Services
    settings: Settings
    viewer: Viewer
    loaders: Loaders = field(init=False)
    #: What each ``claims`` field of the document reads beyond its claims, worked out
    #: once a request (api/lookahead.py).
    reads_beyond: dict[int, tuple[bool, bool]] = field(init=False, default_factory=dict)
    #: The spec of each ``claims`` field of the document, worked out once a request.
    claim_specs: dict[int, ClaimSpec] = field(init=False, default_factory=dict)
    #: The GraphQL object made of each node record served in this request, by the
    #: record's identity (kept with it, so that the identity is not reused): a trace
    #: names a node in many of its paths (api/types/graph.py, ``node_for``).
    node_objects: dict[int, tuple[Any, Any]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.services, self.viewer)

    @property
    def look_ahead(self) -> bool:
        return self.settings.look_ahead


Info = _Info[Context, None]
