// Generated from schema/schema.graphql by web/scripts/gen-types.mjs: do not edit.
// Regenerate with `npm run gen` (in web/) after `accountability schema`.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a token's holder may see and do. */
export type AccessRole = "VIEWER" | "ANALYST" | "INVESTIGATOR" | "PROSECUTOR" | "ADMIN";
export const AccessRoleValues: readonly AccessRole[] = ["VIEWER", "ANALYST", "INVESTIGATOR", "PROSECUTOR", "ADMIN"];

/** An API token (its secret is never shown again). */
export interface ApiToken {
  __typename?: "ApiToken";
  id: string;
  role: AccessRole;
  /** Who holds it. */
  name: string;
  createdAt: string;
  /** Null while the token is active. */
  revokedAt: string | null;
}

/** A page of the audit log, oldest first. */
export interface AuditConnection {
  __typename?: "AuditConnection";
  edges: AuditEdge[];
  pageInfo: PageInfo;
}

export interface AuditEdge {
  __typename?: "AuditEdge";
  cursor: string;
  node: AuditEntry;
}

/** One entry of the append-only audit log. */
export interface AuditEntry {
  __typename?: "AuditEntry";
  seq: number;
  /** When, as an ISO-8601 UTC instant. */
  at: string;
  actor: string;
  role: string;
  action: string;
  /** The first 50 ids the action touched. */
  targets: string[];
  targetCount: number;
  summary: string;
}

/** The audit log's hash chain, checked entry by entry. */
export interface AuditVerification {
  __typename?: "AuditVerification";
  /** Entries read. */
  checked: number;
  intact: boolean;
  /** The first entry that does not hold. */
  brokenAt: number | null;
  reason: string | null;
  /** The last entry's number. */
  headSeq: number;
  /** The last entry's hash: record it outside the database to detect a rewritten chain later. */
  headHash: string;
}

/** A case file prosecutors build. */
export interface Case {
  __typename?: "Case";
  id: string;
  label: NodeLabel;
  createdAt: string | null;
  updatedAt: string | null;
  /** Claims at this node, as a cursor-paginated connection. */
  claims: ClaimConnection;
  title: string;
  jurisdiction: string | null;
  status: string | null;
  /** The entities the case includes (removed ones left out), by id. */
  members: CaseMembers;
}

/** What adding to or removing from a case did. */
export interface CaseChange {
  __typename?: "CaseChange";
  /** Entities added (or removed) by this call. */
  changed: string[];
  /** Entities already in the case (when adding) or not in it (when removing). */
  unchanged: string[];
  caseId: string;
  /** The case file after the change. */
  case: Case;
}

/** Every person of a case linked to an incident of the case, element by element; rows with the most gaps first (then contradictions, partial elements). */
export interface CaseMatrix {
  __typename?: "CaseMatrix";
  rows: MatrixRow[];
}

/** One page of a case file's entities, in id order. */
export interface CaseMembers {
  __typename?: "CaseMembers";
  nodes: Node[];
  pageInfo: PageInfo;
  /** Entities of this label in the case. */
  totalCount: number;
}

/** A page of nodes. */
export interface CaseNodeConnection {
  __typename?: "CaseNodeConnection";
  edges: CaseNodeEdge[];
  pageInfo: PageInfo;
  /** How many nodes match the filter, over all pages. */
  totalCount: number;
}

export interface CaseNodeEdge {
  __typename?: "CaseNodeEdge";
  cursor: string;
  node: Case;
}

/** ESTABLISHED: every claim on the path is exact and covers the whole incident; POSSIBLE: some claim is approximate or covers part of it; UNDATED: some claim has no start date. */
export type Certainty = "ESTABLISHED" | "POSSIBLE" | "UNDATED";
export const CertaintyValues: readonly Certainty[] = ["ESTABLISHED", "POSSIBLE", "UNDATED"];

/** Someone or something in a chart, with the claim that puts it there and how certain it is that the claim held on the date. */
export interface ChartEntry {
  __typename?: "ChartEntry";
  claim: Claim;
  certainty: Certainty;
  node: Node | null;
  /** The evidence for the claim. */
  evidence: Evidence[];
}

/** A unit in a chart, with its own commanders on the date. */
export interface ChartUnit {
  __typename?: "ChartUnit";
  claim: Claim;
  certainty: Certainty;
  node: Node | null;
  /** The evidence for the claim. */
  evidence: Evidence[];
  commanders: ChartEntry[];
}

/** A claim: a dated, weighed and sourced relationship. */
export interface Claim {
  __typename?: "Claim";
  id: string;
  type: ClaimType;
  /** Null: start unknown. */
  validFrom: string | null;
  /** Null: open or end unknown. */
  validTo: string | null;
  datePrecision: DatePrecision;
  confidence: Confidence;
  retracted: boolean;
  retraction: Retraction | null;
  /** Type-specific properties: rank and title (MEMBER_OF), role and command (POSTED_AT), contribution (AIDED), how (NOTIFIED, EXERCISED_CONTROL, TOOK_MEASURES). */
  properties: JsonValue;
  createdAt: string | null;
  updatedAt: string | null;
  /** Where the claim starts. */
  from: Node | null;
  /** Where the claim ends. */
  to: Node | null;
  /** The evidence items that support this claim. */
  evidence: Evidence[];
  /** The ids of the evidence items the caller may see. */
  evidenceIds: string[];
}

/** A page of claims. */
export interface ClaimConnection {
  __typename?: "ClaimConnection";
  edges: ClaimEdge[];
  pageInfo: PageInfo;
}

/** A claim seen from one of its nodes. */
export interface ClaimEdge {
  __typename?: "ClaimEdge";
  /** The claim, with all its properties. */
  claim: Claim;
  /** OUT when the claim starts at the node the list belongs to. */
  direction: Direction | null;
  /** Shortcut for claim.validFrom. */
  validFrom: string | null;
  /** Shortcut for claim.validTo. */
  validTo: string | null;
  /** Shortcut for claim.datePrecision. */
  datePrecision: DatePrecision;
  /** Shortcut for claim.confidence. */
  confidence: Confidence;
  /** Shortcut for claim.retracted. */
  retracted: boolean;
  cursor: string;
  /** The node at the other end of the claim. */
  node: Node | null;
  /** Shortcut for claim.evidence. */
  evidence: Evidence[];
}

/** A new claim between two existing nodes. */
export interface ClaimInput {
  type: ClaimType;
  from: string;
  to: string;
  id?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
  datePrecision?: DatePrecision;
  confidence?: Confidence;
  evidence?: string[];
  /** rank/title (MEMBER_OF), role/command (POSTED_AT), contribution (AIDED), how (NOTIFIED and TOOK_MEASURES: free text; EXERCISED_CONTROL: one of issued_orders, disciplined, appointed, dismissed, approved_transfer, signed_reports, other). */
  properties?: JsonValue | null;
}

/** The kind of a claim (relationship). */
export type ClaimType = "MEMBER_OF" | "COMMANDED" | "SUBORDINATE_TO" | "OPERATED" | "POSTED_AT" | "DETAINED_AT" | "OCCURRED_AT" | "VICTIM" | "PERPETRATED" | "ORDERED" | "AIDED" | "NOTIFIED" | "EXERCISED_CONTROL" | "TOOK_MEASURES" | "DOCUMENTS" | "INCLUDES";
export const ClaimTypeValues: readonly ClaimType[] = ["MEMBER_OF", "COMMANDED", "SUBORDINATE_TO", "OPERATED", "POSTED_AT", "DETAINED_AT", "OCCURRED_AT", "VICTIM", "PERPETRATED", "ORDERED", "AIDED", "NOTIFIED", "EXERCISED_CONTROL", "TOOK_MEASURES", "DOCUMENTS", "INCLUDES"];

/** Who may see an evidence item. */
export type Classification = "PUBLIC" | "CONFIDENTIAL" | "PROTECTED";
export const ClassificationValues: readonly Classification[] = ["PUBLIC", "CONFIDENTIAL", "PROTECTED"];

/** A unit's command structure on a date. */
export interface CommandChart {
  __typename?: "CommandChart";
  unit: Unit;
  at: string;
  commanders: ChartEntry[];
  /** The units it was under. */
  parents: ChartUnit[];
  /** The units under it. */
  children: ChartUnit[];
  /** Facilities it operated. */
  facilities: ChartEntry[];
}

/** A period's incidents, victims and deaths beside those of a wider window: the share of the whole a period holds. */
export interface Concentration {
  __typename?: "Concentration";
  incidents: number;
  victims: number;
  deaths: number;
  totalIncidents: number;
  totalVictims: number;
  totalDeaths: number;
  /** Null when the whole is empty. */
  incidentShare: number | null;
  victimShare: number | null;
  deathShare: number | null;
}

/** How sure the source is of a claim. */
export type Confidence = "HIGH" | "MEDIUM" | "LOW";
export const ConfidenceValues: readonly Confidence[] = ["HIGH", "MEDIUM", "LOW"];

/** A kind of problem the consistency check finds. SUBORDINATION_CYCLE: units each under the next, round to the first, all claims in force on a common day; OVERLAPPING_COMMAND: two persons with exact COMMANDED claims on one unit sharing a day; EVIDENCE_PREDATES_CLAIM: a claim citing an item acquired before the fact began; ACTIVE_AFTER_DEATH: a claim about a person beginning after their recorded death. */
export type ConsistencyKind = "SUBORDINATION_CYCLE" | "OVERLAPPING_COMMAND" | "EVIDENCE_PREDATES_CLAIM" | "ACTIVE_AFTER_DEATH";
export const ConsistencyKindValues: readonly ConsistencyKind[] = ["SUBORDINATION_CYCLE", "OVERLAPPING_COMMAND", "EVIDENCE_PREDATES_CLAIM", "ACTIVE_AFTER_DEATH"];

/** Something to resolve before a court sees the graph. start and end are the dates at issue: for a cycle or overlapping commands, the period the claims share (null: open); for evidence, from the earliest early acquisition to the day the claim begins; after a death, from the date of death to the day the claim begins. */
export interface ConsistencyProblem {
  __typename?: "ConsistencyProblem";
  kind: ConsistencyKind;
  /** What is wrong, in one sentence of ids and dates. */
  message: string;
  /** The nodes involved: a cycle's units in order; the unit, then both commanders; the claim's two ends; the person, then the claim's other end. */
  nodeIds: string[];
  /** The claims to look at: a cycle's claims in order (the first puts the first unit under the second); both commands; the claim; the claim, then those the death rests on. */
  claimIds: string[];
  /** Evidence items acquired before the claim began (that kind only). */
  evidenceIds: string[];
  start: string | null;
  end: string | null;
}

/** The problems the consistency check found, by kind. */
export interface ConsistencyReport {
  __typename?: "ConsistencyReport";
  problems: ConsistencyProblem[];
  /** More problems exist than were listed (raise first), or the cycle search reached its bound. */
  truncated: boolean;
}

/** A token just created: the secret is in this answer only. */
export interface CreatedToken {
  __typename?: "CreatedToken";
  id: string;
  role: AccessRole;
  name: string;
  /** The bearer token itself, shown once: only its hash is stored. */
  token: string;
}

/** One event in an evidence item's chain of custody. Parties and notes are withheld from roles without clearance. */
export interface CustodyEvent {
  __typename?: "CustodyEvent";
  id: string;
  /** When, as an ISO-8601 UTC instant. */
  at: string;
  /** received, transferred, checked or copied. */
  action: string;
  fromParty: string | null;
  toParty: string | null;
  by: string;
  /** The hash computed at this event. */
  sha256: string | null;
  /** Whether that hash matched the item's recorded hash (null: not checked). */
  hashOk: boolean | null;
  note: string | null;
}

/** Date (isoformat) */
export type Date = string;

/** EXACT: the claim holds on every day of its range; APPROXIMATE: on at least one day of it. */
export type DatePrecision = "EXACT" | "APPROXIMATE";
export const DatePrecisionValues: readonly DatePrecision[] = ["EXACT", "APPROXIMATE"];

/** Date with time (isoformat) */
export type DateTime = string;

/** Which of a node's claims to list. */
export type Direction = "OUT" | "IN" | "BOTH";
export const DirectionValues: readonly Direction[] = ["OUT", "IN", "BOTH"];

/** Two person records that may name one person. */
export interface DuplicateCandidate {
  __typename?: "DuplicateCandidate";
  /** The first person's id (ids sorted). */
  aId: string;
  /** The second person's id. */
  bId: string;
  /** The first person's name, as served to you. */
  aName: string;
  /** The second person's name, as served to you. */
  bName: string;
  /** 0.9 to 1: how alike the two records are. */
  score: number;
  /** Why: how the names compare, birth years, shared units and facilities, and any judgement of the pair. */
  reasons: string[];
}

/** One element of a link: its status, what it rests on, why. */
export interface ElementAssessment {
  __typename?: "ElementAssessment";
  /** A stable key: EFFECTIVE_CONTROL, KNOWLEDGE, FAILURE_TO_ACT, ASSISTANCE, AUTHORITY, ORDER, CONDUCT, CUSTODY, CONTEXT (unique with part). */
  element: string;
  part: ElementPart;
  /** The provision the element comes from. */
  basis: string;
  status: ElementStatus;
  claims: Claim[];
  /** In words: what supports it, or what would close the gap. */
  note: string | null;
  /** The evidence of its claims that the caller may see. */
  evidence: Evidence[];
}

/** LINK: an element of the mode of liability; CRIME: an element of the crime itself (the act, the custody, the context). */
export type ElementPart = "LINK" | "CRIME";
export const ElementPartValues: readonly ElementPart[] = ["LINK", "CRIME"];

/** How far the graph supports an element. SUPPORTED: the claims recorded prove it as far as a graph can; PARTIAL: they point to it but leave a step to inference or to proof not recorded; GAP: nothing recorded bears on it; CONTRADICTED: a claim speaks against it. */
export type ElementStatus = "GAP" | "CONTRADICTED" | "PARTIAL" | "SUPPORTED";
export const ElementStatusValues: readonly ElementStatus[] = ["GAP", "CONTRADICTED", "PARTIAL", "SUPPORTED"];

/** An item that supports claims. */
export interface Evidence {
  __typename?: "Evidence";
  id: string;
  label: NodeLabel;
  createdAt: string | null;
  updatedAt: string | null;
  /** Claims at this node, as a cursor-paginated connection. */
  claims: ClaimConnection;
  kind: EvidenceKind;
  title: string;
  sha256: string | null;
  source: string | null;
  acquiredAt: string | null;
  /** Admiralty scale, A to F. */
  reliability: string | null;
  /** Admiralty scale, 1 to 6. */
  credibility: number | null;
  classification: Classification;
  /** Every claim this item supports. */
  supports: ClaimConnection;
  /** The item's chain of custody, oldest first. */
  custody: CustodyEvent[];
}

/** The kind of evidence item. */
export type EvidenceKind = "DOCUMENT" | "TESTIMONY" | "PHOTO" | "VIDEO" | "AUDIO" | "DATASET" | "REPORT";
export const EvidenceKindValues: readonly EvidenceKind[] = ["DOCUMENT", "TESTIMONY", "PHOTO", "VIDEO", "AUDIO", "DATASET", "REPORT"];

/** A page of nodes. */
export interface EvidenceNodeConnection {
  __typename?: "EvidenceNodeConnection";
  edges: EvidenceNodeEdge[];
  pageInfo: PageInfo;
  /** How many nodes match the filter, over all pages. */
  totalCount: number;
}

export interface EvidenceNodeEdge {
  __typename?: "EvidenceNodeEdge";
  cursor: string;
  node: Evidence;
}

/** A path between a person and an incident, and why it does or does not make a link in the trace. */
export interface ExplainedPath {
  __typename?: "ExplainedPath";
  mode: LiabilityMode;
  qualifies: boolean;
  /** Why the path does not qualify (empty when it does), e.g. a command that ended before the incident, or a retracted claim. */
  reasons: string[];
  /** The path's certainty were it to qualify. */
  certainty: Certainty;
  weakestConfidence: Confidence;
  corroborated: boolean;
  path: PathStep[];
  /** The distinct evidence along the path. */
  evidence: Evidence[];
}

/** Every path linking a person to an incident, qualifying first. */
export interface Explanation {
  __typename?: "Explanation";
  incident: Incident;
  paths: ExplainedPath[];
  periodStart: string | null;
  periodEnd: string | null;
  truncated: boolean;
  /** Paths not listed: at most 200 are listed per mode, strongest first. */
  omittedPaths: number;
  /** The person, redacted as the caller's clearance requires. */
  person: Person;
}

/** An export running or done; download it from downloadUrl. */
export interface ExportJob {
  __typename?: "ExportJob";
  id: string;
  status: ExportStatus;
  /** case, trace or graph. */
  scope: string;
  /** The case or incident. */
  subjectId: string | null;
  requestedProfile: ExportProfile;
  /** The profile applied: the stricter of the one asked for and the caller's role. */
  profile: ExportProfile;
  recordsDone: number;
  recordsTotal: number | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  errorCode: string | null;
  nodeCount: number | null;
  claimCount: number | null;
  /** The SHA-256 of the bundle's manifest.json, as recorded in the audit log. */
  manifestSha256: string | null;
  /** Where the finished bundle (.zip) is served: GET it with the same bearer token. Only the caller who started the export (or an admin) may. */
  downloadUrl: string | null;
}

/** Who an export is for. COURT: complete (cleared roles); PARTNER: protected identities pseudonymized, non-public evidence titles withheld; PUBLIC: public evidence only, no protected person. The caller's role may make it stricter. */
export type ExportProfile = "COURT" | "PARTNER" | "PUBLIC";
export const ExportProfileValues: readonly ExportProfile[] = ["COURT", "PARTNER", "PUBLIC"];

/** Where an export started through the API stands. */
export type ExportStatus = "RUNNING" | "DONE" | "FAILED";
export const ExportStatusValues: readonly ExportStatus[] = ["RUNNING", "DONE", "FAILED"];

/** A place of detention or abuse. */
export interface Facility {
  __typename?: "Facility";
  id: string;
  label: NodeLabel;
  createdAt: string | null;
  updatedAt: string | null;
  /** Claims at this node, as a cursor-paginated connection. */
  claims: ClaimConnection;
  name: string;
  aliases: string[];
  kind: string | null;
  location: string | null;
  lat: number | null;
  lon: number | null;
}

/** Who ran a facility on a date. */
export interface FacilityChart {
  __typename?: "FacilityChart";
  facility: Facility;
  at: string;
  /** The units operating it, with their commanders. */
  operators: ChartUnit[];
  /** Directors and commanders posted there. */
  commandPosts: ChartEntry[];
  /** Other people posted there. */
  posts: ChartEntry[];
}

/** A page of nodes. */
export interface FacilityNodeConnection {
  __typename?: "FacilityNodeConnection";
  edges: FacilityNodeEdge[];
  pageInfo: PageInfo;
  /** How many nodes match the filter, over all pages. */
  totalCount: number;
}

export interface FacilityNodeEdge {
  __typename?: "FacilityNodeEdge";
  cursor: string;
  node: Facility;
}

/** What happened at a facility in a window, in time order. */
export interface FacilityTimeline {
  __typename?: "FacilityTimeline";
  facility: Facility;
  from: string;
  to: string;
  /** Operators, posts and incidents overlapping the window, by start date. */
  events: TimelineEntry[];
  detentionsByYear: YearCount[];
}

/** What a run of the import journal did. */
export type ImportKind = "IMPORT" | "UNDO";
export const ImportKindValues: readonly ImportKind[] = ["IMPORT", "UNDO"];

/** One run of the import journal: an import of a file, or the undo of one. */
export interface ImportRun {
  __typename?: "ImportRun";
  id: string;
  kind: ImportKind;
  /** The file's name as it was given. */
  fileName: string;
  /** SHA-256 of the file's bytes. */
  sha256: string;
  /** Who ran it (the token holder's name). */
  actor: string;
  role: string;
  /** When, as an ISO-8601 UTC instant. */
  startedAt: string;
  /** When it completed, was rejected, or was found interrupted. */
  finishedAt: string | null;
  status: ImportStatus;
  /** Nodes and claims in the file. */
  recordsPlanned: number;
  /** Nodes and claims this run wrote. */
  recordsWritten: number;
  /** Nodes and claims an interrupted run it resumes had written already. */
  recordsSkipped: number;
  /** For a rejected run: how many. */
  problems: number | null;
  /** The host of the process that ran it. */
  host: string;
  /** That process's id. */
  pid: number;
  /** Interrupted runs of the same file this one completes. */
  resumes: string[];
  /** The run that completed this interrupted one. */
  resumedBy: string | null;
  /** The undo run that undid it. */
  undoneBy: string | null;
  /** For an undo: the import undone. */
  target: string | null;
}

/** A page of the import journal, newest first. */
export interface ImportRunConnection {
  __typename?: "ImportRunConnection";
  edges: ImportRunEdge[];
  pageInfo: PageInfo;
}

export interface ImportRunEdge {
  __typename?: "ImportRunEdge";
  cursor: string;
  node: ImportRun;
}

/** Where a run of the import journal stands. */
export type ImportStatus = "RUNNING" | "COMPLETE" | "INTERRUPTED" | "REJECTED" | "RESUMED" | "UNDONE";
export const ImportStatusValues: readonly ImportStatus[] = ["RUNNING", "COMPLETE", "INTERRUPTED", "REJECTED", "RESUMED", "UNDONE"];

/** One alleged abuse event or pattern. */
export interface Incident {
  __typename?: "Incident";
  id: string;
  label: NodeLabel;
  createdAt: string | null;
  updatedAt: string | null;
  /** Claims at this node, as a cursor-paginated connection. */
  claims: ClaimConnection;
  kind: IncidentKind;
  title: string | null;
  startDate: string | null;
  endDate: string | null;
  description: string | null;
}

/** The kind of abuse. */
export type IncidentKind = "TORTURE" | "KILLING" | "ENFORCED_DISAPPEARANCE" | "SEXUAL_VIOLENCE" | "ARBITRARY_DETENTION" | "OTHER";
export const IncidentKindValues: readonly IncidentKind[] = ["TORTURE", "KILLING", "ENFORCED_DISAPPEARANCE", "SEXUAL_VIOLENCE", "ARBITRARY_DETENTION", "OTHER"];

/** An incident a person is linked to, by one mode, with the strongest path (the trace, seen from the person). */
export interface IncidentLink {
  __typename?: "IncidentLink";
  mode: LiabilityMode;
  certainty: Certainty;
  weakestConfidence: Confidence;
  corroborated: boolean;
  path: PathStep[];
  incident: Incident;
  /** The person's other paths to it by this mode, strongest first. */
  otherPaths: TracePathConnection;
  /** The distinct evidence along the path. */
  evidence: Evidence[];
}

/** A page of nodes. */
export interface IncidentNodeConnection {
  __typename?: "IncidentNodeConnection";
  edges: IncidentNodeEdge[];
  pageInfo: PageInfo;
  /** How many nodes match the filter, over all pages. */
  totalCount: number;
}

export interface IncidentNodeEdge {
  __typename?: "IncidentNodeEdge";
  cursor: string;
  node: Incident;
}

/** The `JSON` scalar type represents JSON values as specified by [ECMA-404](https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf). */
export type JSON = JsonValue;

/** A person linked to the incident by one mode, carried by the strongest path (best certainty, then shortest). */
export interface LiabilityLink {
  __typename?: "LiabilityLink";
  mode: LiabilityMode;
  certainty: Certainty;
  path: PathStep[];
  weakestConfidence: Confidence;
  /** Every step is backed by evidence from at least two distinct sources. */
  corroborated: boolean;
  /** The person, redacted as the caller's clearance requires. */
  person: Person;
  /** The distinct evidence along the path. */
  evidence: Evidence[];
  /** The person's other paths by this mode, in the order of strength (certainty, weakest confidence, corroboration, length, claim ids). */
  otherPaths: TracePathConnection;
}

/** How a person is liable for an incident; PRESENT is a lead (posted at the facility without command), not a mode. */
export type LiabilityMode = "PERPETRATION" | "ORDERING" | "AIDING_ABETTING" | "SUPERIOR_RESPONSIBILITY" | "PRESENT";
export const LiabilityModeValues: readonly LiabilityMode[] = ["PERPETRATION", "ORDERING", "AIDING_ABETTING", "SUPERIOR_RESPONSIBILITY", "PRESENT"];

/** One cell of the case matrix. */
export interface MatrixCell {
  __typename?: "MatrixCell";
  element: string;
  part: ElementPart;
  status: ElementStatus;
  /** The evidence the caller may see. */
  evidenceIds: string[];
}

/** One accused, one incident, one mode of liability. */
export interface MatrixRow {
  __typename?: "MatrixRow";
  mode: LiabilityMode;
  /** How many elements are GAP. */
  gaps: number;
  cells: MatrixCell[];
  /** The person, redacted as the caller's clearance requires. */
  person: Person;
  incident: Incident;
}

/** The caller: the holder of the request's token, and what they may do. */
export interface Me {
  __typename?: "Me";
  /** The token holder's name, as in the audit log. */
  name: string;
  /** What the caller may see and do. */
  role: AccessRole;
  /** May create nodes, add and retract claims, and build case files. */
  canWrite: boolean;
  /** Sees protected identities. */
  cleared: boolean;
  /** May read the audit log and imports. */
  isAdmin: boolean;
  /** The most revealing export profile the caller gets (a request for more is made stricter). */
  exportProfile: ExportProfile;
}

/** A word in a text that may name a protected person: masked for readers without clearance until a reviewer says whether it does. Cleared roles only. */
export interface MentionToReview {
  __typename?: "MentionToReview";
  /** The node or claim holding the text. */
  recordId: string;
  /** The node's label or the claim's type. */
  recordKind: string;
  /** Which property of the record. */
  field: string;
  /** The words as written. */
  surface: string;
  /** The folded form a verdict is kept under. */
  form: string;
  /** Protected persons it may name (at most ten; see personsTotal). */
  personIds: string[];
  /** How many protected persons it may name. */
  personsTotal: number;
}

export interface Mutation {
  __typename?: "Mutation";
  /** Create a node. properties are the label's fields in snake_case, as in the interchange format; an id is generated when none is given. */
  createNode: Node;
  /** Change some of a node's properties; a null value removes one. */
  updateNode: Node;
  /** Add a claim; endpoints, type and evidence are checked. */
  addClaim: Claim;
  /** Retract a claim: it is kept, marked with who, why and when, and no longer counts. Correct a claim by retracting it and adding a new one. */
  retractClaim: Claim;
  /** Add supporting evidence items to a claim. */
  attachEvidence: Claim;
  /** Record a custody event (received, transferred, checked, copied); a sha256 given is compared with the item's recorded hash. */
  recordCustody: CustodyEvent;
  /** Create an empty case file. */
  createCase: Case;
  /** Add entities to a case by id; a claim's id adds both its ends and its evidence. Adding what is already in the case changes nothing. */
  addToCase: CaseChange;
  /** Add an incident to a case from its trace: the incident, where it happened, its victims, every person linked to it and each path's nodes and evidence. includeLeads also adds persons only PRESENT. */
  addTraceToCase: CaseChange;
  /** Take entities out of a case. Their inclusion is retracted with the reason, and kept. */
  removeFromCase: CaseChange;
  /** Start an export of a case (caseId), of an incident's trace (incidentId), or of the whole graph (neither; admins only). It runs in the background; follow it with exportJob and download the bundle from downloadUrl. */
  startExport: ExportJob;
  /** Say whether a form is a mention of a protected person (accept: it is, mask it with the pseudonym; reject: it is not, show it). Applies to the form everywhere; every text is masked again. Prosecutor or admin. */
  reviewMention: boolean;
  /** Merge two records of one person (investigators and admins): every claim of dropId moves to keepId with its id, the dropped names become aliases, the stricter protection wins, and dropId answers the kept person from then on. Refused for a pair judged different. Merging a protected person needs clearance. */
  mergePersons: PersonMerge;
  /** Undo a merge exactly: the dropped person back, each moved claim back at it with its id, the kept person's names and protection as before. Refused, saying why, when the kept person or a moved claim changed so that it cannot be exact. */
  unmergePersons: PersonUnmerge;
  /** Create a token for a person or an app with a role (admins only); the answer holds the token, which is never shown again. */
  createToken: CreatedToken;
  /** Revoke a token (admins only); it stops working within the service's authentication cache time. */
  revokeToken: boolean;
}

/** Anything in the graph with a stable id. */
export interface Node {
  id: string;
  label: NodeLabel;
  createdAt: string | null;
  updatedAt: string | null;
  /** Claims at this node, as a cursor-paginated connection. */
  claims: ClaimConnection;
}

/** Filters for a list of nodes; every one given must hold. */
export interface NodeFilterInput {
  /** Part of a name or alias, any script; case, accents, Arabic letter variants and transliteration are ignored. */
  search?: string | null;
  /** The node's kind, e.g. torture for an incident. */
  kind?: string | null;
  /** Incidents ending on or after this date. */
  dateFrom?: string | null;
  /** Incidents starting on or before this date. */
  dateTo?: string | null;
}

/** The kind of a node. */
export type NodeLabel = "PERSON" | "UNIT" | "FACILITY" | "INCIDENT" | "EVIDENCE" | "CASE";
export const NodeLabelValues: readonly NodeLabel[] = ["PERSON", "UNIT", "FACILITY", "INCIDENT", "EVIDENCE", "CASE"];

/** A page of nodes. */
export interface NodeNodeConnection {
  __typename?: "NodeNodeConnection";
  edges: NodeNodeEdge[];
  pageInfo: PageInfo;
  /** How many nodes match the filter, over all pages. */
  totalCount: number;
}

export interface NodeNodeEdge {
  __typename?: "NodeNodeEdge";
  cursor: string;
  node: Node;
}

/** The order of a list of nodes (ties broken by id). */
export type NodeSort = "ID" | "NAME" | "CREATED_AT" | "UPDATED_AT";
export const NodeSortValues: readonly NodeSort[] = ["ID", "NAME", "CREATED_AT", "UPDATED_AT"];

/** What a person had been told, or had reason to know, before an incident: prior incidents of which he was a superior (each judged on its own dates, as the trace judges it) and notifications received before the incident ended. */
export interface Notice {
  __typename?: "Notice";
  /** Incidents begun before this one, during his command, at facilities his units operated then or by members of his units then. */
  priorIncidents: number;
  /** Deaths among them: victims of killings or who died in custody, and a killing with no recorded victim as one. Counted, never named. */
  priorDeaths: number;
  /** When the first of them began. */
  firstPrior: string | null;
  /** NOTIFIED claims received before the incident ended, about it, its facility or operators, his units on the way to it, or a prior incident. */
  notifications: Claim[];
  /** The prior incidents, in time order. */
  incidents: Incident[];
}

/** Where a page of a list ends. */
export interface PageInfo {
  __typename?: "PageInfo";
  hasNextPage: boolean;
  endCursor: string | null;
}

/** One step of a path: a node, and the claim that leads on to the next step (null on the last step, the incident). */
export interface PathStep {
  __typename?: "PathStep";
  claim: Claim | null;
  node: Node | null;
}

/** How pattern rows are grouped: FACILITY where incidents occurred, UNIT operating that facility at the time, KIND of incident, MONTH or YEAR they began. */
export type PatternGroup = "FACILITY" | "UNIT" | "KIND" | "MONTH" | "YEAR";
export const PatternGroupValues: readonly PatternGroup[] = ["FACILITY", "UNIT", "KIND", "MONTH", "YEAR"];

/** Incidents, distinct victims and deaths in one group. */
export interface PatternRow {
  __typename?: "PatternRow";
  /** A facility or unit id, a kind, YYYY-MM or YYYY; 'unknown' for incidents with no facility or operator recorded. */
  key: string;
  /** The facility's or unit's name. */
  label: string | null;
  incidents: number;
  victims: number;
  /** Victims of killings or who died in custody; a killing with no recorded victim counts as one. Counted, never named. */
  deaths: number;
}

/** A human: alleged perpetrator, victim or witness. */
export interface Person {
  __typename?: "Person";
  id: string;
  label: NodeLabel;
  createdAt: string | null;
  updatedAt: string | null;
  /** Claims at this node, as a cursor-paginated connection. */
  claims: ClaimConnection;
  /** The name; for a protected person without clearance, the pseudonym. */
  name: string;
  aliases: string[];
  birthYear: number | null;
  gender: string | null;
  nationality: string | null;
  status: PersonStatus | null;
  protected: boolean;
  pseudonym: string | null;
}

/** A merge of two person records into one. */
export interface PersonMerge {
  __typename?: "PersonMerge";
  /** The merge's id: give it to unmergePersons to undo it. */
  mergeId: string;
  keepId: string;
  /** The dropped id: it now answers the kept person (node, person, imports). */
  dropId: string;
  /** Claims moved to the kept person, with their ids. */
  movedClaims: number;
  /** The kept person, as served to you. */
  person: Person;
}

/** A page of nodes. */
export interface PersonNodeConnection {
  __typename?: "PersonNodeConnection";
  edges: PersonNodeEdge[];
  pageInfo: PageInfo;
  /** How many nodes match the filter, over all pages. */
  totalCount: number;
}

export interface PersonNodeEdge {
  __typename?: "PersonNodeEdge";
  cursor: string;
  node: Person;
}

/** A person over time: roles, and incidents by mode of liability. */
export interface PersonProfile {
  __typename?: "PersonProfile";
  person: Person;
  /** Memberships, commands and posts, by start date (undated last). */
  roles: Role[];
  /** Every incident the person is linked to, by mode then date. */
  incidents: IncidentLink[];
  /** The earliest dated role. */
  firstRole: string | null;
}

/** A victim's known fate. */
export type PersonStatus = "DETAINED" | "DISAPPEARED" | "DIED_IN_CUSTODY" | "RELEASED" | "UNKNOWN";
export const PersonStatusValues: readonly PersonStatus[] = ["DETAINED", "DISAPPEARED", "DIED_IN_CUSTODY", "RELEASED", "UNKNOWN"];

/** A merge undone: both records as they were before it. */
export interface PersonUnmerge {
  __typename?: "PersonUnmerge";
  mergeId: string;
  keepId: string;
  dropId: string;
  /** Claims moved back to the restored person, with their ids. */
  movedClaims: number;
  /** Moved claims written since the merge (a retraction, evidence added): moved back with those changes. */
  changedSince: string[];
}

export interface Query {
  __typename?: "Query";
  /** Uncertain mentions of protected persons waiting for a verdict (prosecutor or admin). */
  mentionsToReview: MentionToReview[];
  /** Who the caller is, and what they may do. */
  me: Me;
  /** Every API token, active and revoked (admins only). */
  tokens: ApiToken[];
  /** Check the audit log's whole hash chain (admins only). */
  auditVerification: AuditVerification;
  /** A person by id. */
  person: Person | null;
  /** A unit by id. */
  unit: Unit | null;
  /** A facility by id. */
  facility: Facility | null;
  /** A incident by id. */
  incident: Incident | null;
  /** A evidence by id. */
  evidence: Evidence | null;
  /** A case by id. */
  case: Case | null;
  /** A page of persons. */
  persons: PersonNodeConnection;
  /** A page of units. */
  units: UnitNodeConnection;
  /** A page of facilities. */
  facilities: FacilityNodeConnection;
  /** A page of incidents. */
  incidents: IncidentNodeConnection;
  /** A page of evidence items. */
  evidenceItems: EvidenceNodeConnection;
  /** A page of case files. */
  cases: CaseNodeConnection;
  /** Any node by id. */
  node: Node | null;
  /** Nodes by id, in the order asked; null where none exists. */
  nodes: Array<Node | null>;
  /** Every person linked to an incident, with the mode of liability, the path that links them and the evidence for every step. maxDepth bounds how far command chains are climbed (0 to 10). */
  trace: Trace;
  /** Every path linking a person to an incident, even those that do not qualify, each with the reason it does or does not: what a lawyer needs to check the trace. */
  explain: Explanation;
  /** What a person had reason to know before an incident: prior incidents under his command (each on its own dates, by the trace's rules) and notifications received before it ended. */
  notice: Notice;
  /** The elements of one link (person, incident, mode): for the mode, then for the crime, each with its status, basis, claims, evidence and a note. */
  liabilityElements: ElementAssessment[];
  /** A case's evidence matrix: every person of the case linked to an incident of the case, by mode, element by element; the gaps first. */
  caseMatrix: CaseMatrix;
  /** Incidents begun in a period, with distinct victims and deaths, grouped by facility, operating unit, kind, month or year: the figures that show scale and regularity (the contextual element of a crime against humanity). */
  patterns: PatternRow[];
  /** The share of incidents, victims and deaths of a window (all time when not given) that a period holds: 'over 83% of them between May 2013 and October 2015'. */
  concentration: Concentration;
  /** A person's posts, memberships and commands over time, and every incident they are linked to, by mode (the trace, inverted). */
  personProfile: PersonProfile;
  /** A person's detention records in time order, the incidents they suffered, and their known fate. */
  victimPath: VictimPath;
  /** Operators, posts and incidents at a facility between two dates, in time order, with detention counts by year. */
  facilityTimeline: FacilityTimeline;
  /** A unit's commanders, parent and child units (with their commanders) and facilities, as claimed in force on a date. */
  commandChart: CommandChart;
  /** The units operating a facility (with their commanders) and the people posted there, as claimed in force on a date. */
  facilityChart: FacilityChart;
  /** Problems to resolve before a court sees the graph: subordination cycles, overlapping commands, evidence acquired before the fact it documents, claims about a person after their recorded death. Standing claims only; ids and dates, no names. Analysts and above. */
  consistency: ConsistencyReport;
  /** Pairs of persons that may be one (other spellings, other scripts), best first, with a score and the reasons. Pairs judged different are left out; protected persons only for cleared roles. Analysts and above. */
  duplicateCandidates: DuplicateCandidate[];
  /** The audit log, oldest first (admins only). */
  auditLog: AuditConnection;
  /** The import journal, newest first (admins only): every import and undo, with its status; an interrupted one was cut short and may be completed by importing the same file again. */
  imports: ImportRunConnection;
  /** An export started with startExport: its progress, and its download URL once done. Only the one who started it (or an admin) sees it. */
  exportJob: ExportJob;
  /** A claim by id. */
  claim: Claim | null;
  /** A page of nodes of one label, filtered and sorted. */
  search: NodeNodeConnection;
}

/** Who withdrew a claim, why and when. A retracted claim is kept. */
export interface Retraction {
  __typename?: "Retraction";
  by: string;
  reason: string;
  at: string;
}

/** A claim placing the person in a unit or facility over time. */
export interface Role {
  __typename?: "Role";
  claim: Claim;
  /** The unit or facility. */
  target: Node | null;
}

/** Something dated: a claim and the node at its other end. */
export interface TimelineEntry {
  __typename?: "TimelineEntry";
  /** DETENTION, INCIDENT, OPERATED, COMMAND_POST or POST. */
  kind: string;
  start: string | null;
  /** Null: open or unknown. */
  end: string | null;
  claim: Claim;
  /** The facility, unit, person or incident concerned. */
  node: Node | null;
}

/** Everyone linked to an incident, by mode of liability. */
export interface Trace {
  __typename?: "Trace";
  incident: Incident;
  links: LiabilityLink[];
  /** The incident's first day. */
  periodStart: string | null;
  /** The incident's last day (its first when no end is known). */
  periodEnd: string | null;
  /** A command chain goes on above maxDepth to a unit not reached (a path never visits a unit twice): raise maxDepth to see further. */
  truncated: boolean;
  /** Some part of the trace could not be computed (see missing); the links shown are correct, but there may be more. */
  partial: boolean;
  /** What could not be computed, by mode, and why. */
  missing: string[];
}

/** Another path linking the same person by the same mode. */
export interface TracePath {
  __typename?: "TracePath";
  certainty: Certainty;
  weakestConfidence: Confidence;
  corroborated: boolean;
  path: PathStep[];
  /** The distinct evidence along the path. */
  evidence: Evidence[];
}

/** A link's other paths, strongest first. */
export interface TracePathConnection {
  __typename?: "TracePathConnection";
  /** How many other paths there are. */
  totalCount: number;
  edges: TracePathEdge[];
  pageInfo: PageInfo;
}

/** One of a link's other paths. */
export interface TracePathEdge {
  __typename?: "TracePathEdge";
  cursor: string;
  node: TracePath;
}

/** A state or armed body in a command structure. */
export interface Unit {
  __typename?: "Unit";
  id: string;
  label: NodeLabel;
  createdAt: string | null;
  updatedAt: string | null;
  /** Claims at this node, as a cursor-paginated connection. */
  claims: ClaimConnection;
  name: string;
  aliases: string[];
  kind: string | null;
  parentNameHint: string | null;
}

/** A page of nodes. */
export interface UnitNodeConnection {
  __typename?: "UnitNodeConnection";
  edges: UnitNodeEdge[];
  pageInfo: PageInfo;
  /** How many nodes match the filter, over all pages. */
  totalCount: number;
}

export interface UnitNodeEdge {
  __typename?: "UnitNodeEdge";
  cursor: string;
  node: Unit;
}

/** A person's detentions in time order, what they suffered, and their known fate. */
export interface VictimPath {
  __typename?: "VictimPath";
  person: Person;
  /** The person's known fate. */
  status: PersonStatus | null;
  detentions: TimelineEntry[];
  incidents: TimelineEntry[];
}

/** Detention records at a facility overlapping one year. */
export interface YearCount {
  __typename?: "YearCount";
  year: number;
  detained: number;
  /** Records with no start date that may belong to this year. */
  undated: number;
}
