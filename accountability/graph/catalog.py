"""Every Cypher statement the service runs, named; the text lives in ``cypher/<feature>/``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.errors import EngineError


class Q(StrEnum):
    """A statement, named by its file path under ``cypher/`` without the extension."""

    PING = "system/ping"

    CREATE_TOKEN = "auth/create_token"
    FIND_TOKEN = "auth/find_token"
    LIST_TOKENS = "auth/list_tokens"
    REVOKE_TOKEN = "auth/revoke_token"
    COUNT_ACTIVE_TOKENS = "auth/count_active_tokens"

    AUDIT_HEAD = "audit/get_head"
    AUDIT_APPEND = "audit/append_entry"
    AUDIT_LIST = "audit/list_entries"
    AUDIT_STREAM = "audit/stream_entries"

    GET_NODES = "node/get_nodes"
    GET_NODE_LABELS = "node/get_node_labels"
    LIST_NODES = "node/list_nodes"
    COUNT_NODES = "node/count_nodes"
    UPDATE_NODES = "node/update_nodes"
    LOCK_NODE = "node/lock_node"
    CREATE_PERSONS = "node/create_persons"
    CREATE_UNITS = "node/create_units"
    CREATE_FACILITIES = "node/create_facilities"
    CREATE_INCIDENTS = "node/create_incidents"
    CREATE_EVIDENCE = "node/create_evidence"
    CREATE_CASES = "node/create_cases"

    MASK_STATE = "protection/get_mask_state"
    BUMP_MASK_STATE = "protection/bump_mask_state"
    SET_MASK_RULES = "protection/set_mask_rules"
    MASKED_PEOPLE = "protection/list_masked_people"
    PSEUDONYMS = "protection/list_pseudonyms"
    REVIEW_NODES = "protection/list_review_nodes"
    REVIEW_CLAIMS = "protection/list_review_claims"
    RECORD_MENTION_DECISION = "protection/record_mention_decision"
    MENTION_DECISIONS = "protection/list_mention_decisions"
    STAMP_LEGACY_NODES = "protection/stamp_legacy_nodes"
    STAMP_LEGACY_CLAIMS = "protection/stamp_legacy_claims"
    STALE_NODES = "protection/stale_nodes"
    STALE_CLAIMS = "protection/stale_claims"
    SET_NODE_RENDITIONS = "protection/set_node_renditions"
    SET_CLAIM_RENDITIONS = "protection/set_claim_renditions"

    GET_CLAIMS = "claim/get_claims"
    UPDATE_CLAIMS = "claim/update_claims"
    LIST_NODE_CLAIMS = "claim/list_node_claims"
    LIST_EVIDENCE_CLAIMS = "claim/list_evidence_claims"
    CLAIMS_AHEAD = "ahead/claims_ahead"
    CLAIMS_AHEAD_NESTED = "ahead/claims_ahead_nested"
    RETRACT_CLAIM = "claim/retract_claim"
    RETRACT_CLAIMS = "claim/retract_claims"
    ATTACH_EVIDENCE = "claim/attach_evidence"
    LINK_SUPPORT = "claim/link_support"
    LINK_SUPPORT_NEW = "claim/link_support_new"
    REGISTER_CLAIM_KEYS = "claim/register_claim_keys"
    ADD_MEMBER_OF = "claim/add_member_of"
    ADD_COMMANDED = "claim/add_commanded"
    ADD_SUBORDINATE_TO = "claim/add_subordinate_to"
    ADD_OPERATED = "claim/add_operated"
    ADD_POSTED_AT = "claim/add_posted_at"
    ADD_DETAINED_AT = "claim/add_detained_at"
    ADD_OCCURRED_AT = "claim/add_occurred_at"
    ADD_VICTIM = "claim/add_victim"
    ADD_PERPETRATED = "claim/add_perpetrated"
    ADD_ORDERED = "claim/add_ordered"
    ADD_AIDED = "claim/add_aided"
    ADD_NOTIFIED = "claim/add_notified"
    ADD_EXERCISED_CONTROL = "claim/add_exercised_control"
    ADD_TOOK_MEASURES = "claim/add_took_measures"
    ADD_DOCUMENTS = "claim/add_documents"
    ADD_INCLUDES = "claim/add_includes"

    GET_INCIDENT_PERIOD = "trace/get_incident_period"
    TRACE_ACTS = "trace/trace_acts"
    TRACE_FACILITY = "trace/trace_facility"
    TRACE_BASE_UNITS = "trace/trace_base_units"
    TRACE_CLIMB = "trace/trace_climb"

    PRIOR_INCIDENTS = "liability/prior_incidents"
    PERSON_ELEMENT_CLAIMS = "liability/person_element_claims"
    INCIDENT_SITES = "liability/incident_sites"
    INCIDENT_VICTIMS = "liability/incident_victims"
    INCIDENT_CUSTODY = "liability/incident_custody"
    INCIDENT_CONTEXT_SITES = "liability/incident_context_sites"
    SITE_INCIDENTS = "liability/site_incidents"
    PATTERN_ROWS = "liability/pattern_rows"
    INCIDENT_TOTALS = "liability/incident_totals"

    PERSON_INCIDENT_CANDIDATES = "profile/person_incident_candidates"
    PERSON_ROLES = "profile/person_roles"
    VICTIM_PATH = "profile/victim_path"
    FACILITY_TIMELINE = "profile/facility_timeline"
    FACILITY_DETENTIONS_BY_YEAR = "profile/facility_detentions_by_year"

    UNIT_CHART = "chart/unit_chart"
    FACILITY_CHART = "chart/facility_chart"

    ADD_CUSTODY_EVENT = "custody/add_event"
    LIST_CUSTODY_EVENTS = "custody/list_events"
    EVIDENCE_HASHES = "custody/evidence_hashes"

    BENCH_FILL_AUDIT = "bench/fill_audit_entries"
    BENCH_PEER_PERSON = "bench/peer_person"
    BENCH_PEER_FACILITY = "bench/peer_facility"
    BENCH_PEER_UNIT = "bench/peer_unit"
    BENCH_PEER_PERSON_PAGE = "bench/peer_person_page"
    BENCH_PEER_INCIDENT = "bench/peer_incident"
    BENCH_RAW_MEMBER_OF = "bench/raw_member_of"
    BENCH_RAW_COMMANDED = "bench/raw_commanded"
    BENCH_RAW_SUBORDINATE_TO = "bench/raw_subordinate_to"
    BENCH_RAW_OPERATED = "bench/raw_operated"
    BENCH_RAW_POSTED_AT = "bench/raw_posted_at"
    BENCH_RAW_DETAINED_AT = "bench/raw_detained_at"
    BENCH_RAW_OCCURRED_AT = "bench/raw_occurred_at"
    BENCH_RAW_VICTIM = "bench/raw_victim"
    BENCH_RAW_PERPETRATED = "bench/raw_perpetrated"
    BENCH_RAW_ORDERED = "bench/raw_ordered"
    BENCH_RAW_AIDED = "bench/raw_aided"
    BENCH_RAW_NOTIFIED = "bench/raw_notified"
    BENCH_RAW_EXERCISED_CONTROL = "bench/raw_exercised_control"
    BENCH_RAW_TOOK_MEASURES = "bench/raw_took_measures"
    BENCH_RAW_DOCUMENTS = "bench/raw_documents"
    BENCH_RAW_INCLUDES = "bench/raw_includes"

    LIST_CASE_MEMBERS = "case/list_case_members"
    PAGE_CASE_MEMBERS = "case/page_case_members"
    COUNT_CASE_MEMBERS = "case/count_case_members"
    RETRACT_INCLUSIONS = "case/retract_inclusions"
    LOCK_CASE = "case/lock_case"
    STANDING_INCLUSIONS = "case/standing_inclusions"

    CLAIMS_FROM_NODES = "export/claims_from_nodes"
    SAMPLE_NODE_IDS = "export/sample_node_ids"
    GRAPH_NODES = "export/graph_nodes"
    GRAPH_CLAIMS = "export/graph_claims"

    AUDIT_EXPORT_BY_MANIFEST = "audit/export_by_manifest"

    SUBORDINATION_LINKS = "consistency/subordination_links"
    OVERLAPPING_COMMANDS = "consistency/overlapping_commands"
    EVIDENCE_BEFORE_CLAIMS = "consistency/evidence_before_claims"
    ACTS_AFTER_DEATH = "consistency/acts_after_death"

    IMPORT_START_RUN = "ingest/start_run"
    IMPORT_GET_RUNS = "ingest/get_runs"
    IMPORT_LIST_RUNS = "ingest/list_runs"
    IMPORT_RUNNING_RUNS = "ingest/running_runs"
    IMPORT_MARK_INTERRUPTED = "ingest/mark_interrupted"
    IMPORT_COUNT_INTERRUPTED = "ingest/count_interrupted"
    IMPORT_INTERRUPTED_RUNS = "ingest/interrupted_runs"
    IMPORT_UNFINISHED_UNDOS = "ingest/unfinished_undos"
    IMPORT_FINISH_RUN = "ingest/finish_run"
    IMPORT_MARK_RESUMED = "ingest/mark_resumed"
    IMPORT_MARK_UNDONE = "ingest/mark_undone"
    IMPORT_RECORD_PROGRESS = "ingest/record_progress"
    IMPORT_RECORD_STEP = "ingest/record_step"
    IMPORT_LIST_STEPS = "ingest/list_steps"
    IMPORT_READ_STEP = "ingest/read_step"
    IMPORT_STEP_UNDONE = "ingest/step_undone"
    IMPORT_NODE_STATES = "ingest/node_states"
    IMPORT_CLAIM_STATES = "ingest/claim_states"
    IMPORT_COUNT_LINKS = "ingest/count_links"
    IMPORT_LIST_LINKS = "ingest/list_links"
    IMPORT_RESTORE_NODES = "ingest/restore_nodes"
    IMPORT_DELETE_NODES = "ingest/delete_nodes"
    IMPORT_RESTORE_CLAIMS = "ingest/restore_claims"
    IMPORT_DELETE_CLAIMS = "ingest/delete_claims"
    IMPORT_UNLINK_SUPPORT = "ingest/unlink_support"

    EXPORT_JOB_CREATE = "jobs/create_export_job"
    EXPORT_JOB_GET = "jobs/get_export_job"
    EXPORT_JOB_BEAT = "jobs/beat_export_job"
    EXPORT_JOB_FINISH = "jobs/finish_export_job"
    EXPORT_JOBS_RUNNING = "jobs/running_export_jobs"
    EXPORT_JOBS_FINISHED = "jobs/finished_export_jobs"
    EXPORT_JOBS_DELETE = "jobs/delete_export_jobs"
    EXPORT_JOBS_KNOWN = "jobs/known_export_jobs"

    TOKEN_GENERATION = "auth/token_generation"

    LIST_PERSON_KEYS = "resolution/list_person_keys"
    RECORD_JUDGEMENT = "resolution/record_judgement"
    LIST_JUDGEMENTS = "resolution/list_judgements"

    MERGE_LOCK_PERSONS = "merge/lock_persons"
    MERGE_NODE_CLAIMS = "merge/node_claims"
    MERGE_MOVE_SUPPORTS = "merge/move_supports"
    MERGE_DELETE_PERSON = "merge/delete_person"
    MERGE_JUDGEMENT = "merge/judgement"
    MERGE_RECORD = "merge/record_merge"
    MERGE_GET = "merge/get_merge"
    MERGE_RESOLVE_IDS = "merge/resolve_ids"
    MERGE_MARK_UNMERGED = "merge/mark_unmerged"
    MERGE_SET_CLAIM_KEYS = "merge/set_claim_keys"
    MOVE_OUT_MEMBER_OF = "merge/move_out_member_of"
    MOVE_OUT_COMMANDED = "merge/move_out_commanded"
    MOVE_OUT_SUBORDINATE_TO = "merge/move_out_subordinate_to"
    MOVE_OUT_OPERATED = "merge/move_out_operated"
    MOVE_OUT_POSTED_AT = "merge/move_out_posted_at"
    MOVE_OUT_DETAINED_AT = "merge/move_out_detained_at"
    MOVE_OUT_OCCURRED_AT = "merge/move_out_occurred_at"
    MOVE_OUT_VICTIM = "merge/move_out_victim"
    MOVE_OUT_PERPETRATED = "merge/move_out_perpetrated"
    MOVE_OUT_ORDERED = "merge/move_out_ordered"
    MOVE_OUT_AIDED = "merge/move_out_aided"
    MOVE_OUT_NOTIFIED = "merge/move_out_notified"
    MOVE_OUT_EXERCISED_CONTROL = "merge/move_out_exercised_control"
    MOVE_OUT_TOOK_MEASURES = "merge/move_out_took_measures"
    MOVE_OUT_DOCUMENTS = "merge/move_out_documents"
    MOVE_OUT_INCLUDES = "merge/move_out_includes"
    MOVE_IN_MEMBER_OF = "merge/move_in_member_of"
    MOVE_IN_COMMANDED = "merge/move_in_commanded"
    MOVE_IN_SUBORDINATE_TO = "merge/move_in_subordinate_to"
    MOVE_IN_OPERATED = "merge/move_in_operated"
    MOVE_IN_POSTED_AT = "merge/move_in_posted_at"
    MOVE_IN_DETAINED_AT = "merge/move_in_detained_at"
    MOVE_IN_OCCURRED_AT = "merge/move_in_occurred_at"
    MOVE_IN_VICTIM = "merge/move_in_victim"
    MOVE_IN_PERPETRATED = "merge/move_in_perpetrated"
    MOVE_IN_ORDERED = "merge/move_in_ordered"
    MOVE_IN_AIDED = "merge/move_in_aided"
    MOVE_IN_NOTIFIED = "merge/move_in_notified"
    MOVE_IN_EXERCISED_CONTROL = "merge/move_in_exercised_control"
    MOVE_IN_TOOK_MEASURES = "merge/move_in_took_measures"
    MOVE_IN_DOCUMENTS = "merge/move_in_documents"
    MOVE_IN_INCLUDES = "merge/move_in_includes"


#: The write statement for each label: labels are never spliced into Cypher text.
CREATE_BY_LABEL: dict[NodeLabel, Q] = {
    NodeLabel.PERSON: Q.CREATE_PERSONS,
    NodeLabel.UNIT: Q.CREATE_UNITS,
    NodeLabel.FACILITY: Q.CREATE_FACILITIES,
    NodeLabel.INCIDENT: Q.CREATE_INCIDENTS,
    NodeLabel.EVIDENCE: Q.CREATE_EVIDENCE,
    NodeLabel.CASE: Q.CREATE_CASES,
}

#: The write statement for each claim type.
ADD_BY_CLAIM_TYPE: dict[ClaimType, Q] = {t: Q[f"ADD_{t.value}"] for t in ClaimType}

#: The statements that move claims of each type out of, and into, a node to another
#: (merging persons).
MOVE_OUT_BY_CLAIM_TYPE: dict[ClaimType, Q] = {t: Q[f"MOVE_OUT_{t.value}"] for t in ClaimType}
MOVE_IN_BY_CLAIM_TYPE: dict[ClaimType, Q] = {t: Q[f"MOVE_IN_{t.value}"] for t in ClaimType}


#: Reads whose rows hold projections only (maps, lists and scalars; never a node, a
#: relationship or a path), taken as they come: the walk through every nested value for
#: graph types that other rows get cost 0.1-0.2 ms a wide nested read (a facility's
#: look-ahead row: 169 µs, against 1 µs). tests/test_lookahead.py checks, on every read
#: of them it makes, that nothing in their rows needed the walk.
PROJECTED_READS = frozenset(
    {
        Q.CLAIMS_AHEAD,
        Q.CLAIMS_AHEAD_NESTED,
        Q.GET_NODES,
        Q.LIST_NODES,
        Q.LIST_NODE_CLAIMS,
    }
)


def schema_files(cypher_dir: Path) -> list[Path]:
    """Schema set-up statements, in the order of their numbers."""
    return sorted((cypher_dir / "schema").glob("*.cypher"))


class Catalog:
    """The text of every statement, read once at start-up so a missing file fails the boot."""

    def __init__(self, cypher_dir: Path) -> None:
        self.cypher_dir = cypher_dir
        missing = [q.value for q in Q if not (cypher_dir / f"{q.value}.cypher").is_file()]
        if missing:
            raise EngineError(f"Cypher files missing under {cypher_dir}: {', '.join(missing)}")
        self._text = {q: (cypher_dir / f"{q.value}.cypher").read_text() for q in Q}
        self.schema = [p.read_text() for p in schema_files(cypher_dir)]

    def __getitem__(self, query: Q) -> str:
        return self._text[query]
