"""The services of one running app, built once over one database."""

from __future__ import annotations

from dataclasses import dataclass

from accountability.graph.database import Database
from accountability.services import cursors
from accountability.services.audit import AuditService
from accountability.services.cases import CaseService
from accountability.services.claims import ClaimService
from accountability.services.evidence_files import (
    ContentStore,
    EvidenceFiles,
    default_store_root,
)
from accountability.services.exports.jobs import ExportJobs
from accountability.services.exports.service import ExportService
from accountability.services.ingest.interchange import InterchangeService
from accountability.services.ingest.journal import ImportJournal
from accountability.services.ingest.undo import ImportUndo
from accountability.services.jwt_auth import verifier_from
from accountability.services.liability.charts import ChartService
from accountability.services.liability.consistency import ConsistencyService
from accountability.services.liability.elements import ElementService
from accountability.services.liability.notice import NoticeService
from accountability.services.liability.patterns import PatternService
from accountability.services.liability.profiles import ProfileService
from accountability.services.liability.trace import TraceService
from accountability.services.nodes import NodeService
from accountability.services.protection.masks import MaskService
from accountability.services.protection.reviews import ReviewService
from accountability.services.signing.keys import KeyRing
from accountability.services.tokens import TokenService
from accountability.settings import Settings


@dataclass(frozen=True)
class Services:
    db: Database
    nodes: NodeService
    claims: ClaimService
    interchange: InterchangeService
    imports: ImportJournal
    import_undo: ImportUndo
    tracing: TraceService
    charts: ChartService
    profiles: ProfileService
    consistency: ConsistencyService
    notice: NoticeService
    elements: ElementService
    patterns: PatternService
    tokens: TokenService
    audit: AuditService
    evidence_files: EvidenceFiles
    masks: MaskService
    reviews: ReviewService
    cases: CaseService
    exports: ExportService
    export_jobs: ExportJobs

    @classmethod
    def over(cls, db: Database, settings: Settings) -> Services:
        # Cursors outlive a restart and work on every instance that shares the key.
        cursors.configure(
            cursors.key_from_file(settings.cursor_key_file or settings.data_dir / "cursor.key")
        )
        masks = MaskService(db)
        journal = ImportJournal(db, masks)
        nodes = NodeService(db, settings.max_page_size, masks)
        tracing = TraceService(db, nodes)
        claims = ClaimService(db, nodes, settings.max_page_size)
        cases = CaseService(db, nodes, claims, tracing)
        notice = NoticeService(db, tracing)
        elements = ElementService(db, tracing, notice, cases)
        store = ContentStore(default_store_root(settings.data_dir))
        exports = ExportService(
            db, cases, tracing, KeyRing(settings.signing_folder), store, elements
        )
        return cls(
            db=db,
            nodes=nodes,
            claims=claims,
            interchange=InterchangeService(
                db, nodes, settings.import_batch_size, settings.import_tx_records, journal
            ),
            imports=journal,
            import_undo=ImportUndo(db, masks, journal),
            tracing=tracing,
            charts=ChartService(db, nodes),
            profiles=ProfileService(db, nodes, tracing),
            consistency=ConsistencyService(db, settings.max_page_size),
            notice=notice,
            elements=elements,
            patterns=PatternService(db, nodes),
            tokens=TokenService(db, settings.auth_cache_s, verifier_from(settings)),
            audit=AuditService(db),
            masks=masks,
            reviews=ReviewService(db, masks),
            cases=cases,
            exports=exports,
            export_jobs=ExportJobs(
                exports, settings.export_folder, settings.export_ttl_hours * 3600
            ),
            evidence_files=EvidenceFiles(db, nodes, store),
        )
