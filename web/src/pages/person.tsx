import { useState } from "preact/hooks";
import { ApiError, gql } from "../api";
import { Gantt } from "../gantt";
import type {
  Certainty,
  ClaimType,
  Confidence,
  DatePrecision,
  Direction,
  LiabilityMode,
  Me,
  PersonStatus,
} from "../gql/schema";
import {
  CertaintyBadge,
  ConfidenceBadge,
  Dates,
  ErrorBox,
  FieldErrors,
  INCIDENT_FIELDS,
  NODE_FIELDS,
  Name,
  type NodeRef,
  NodeLink,
  Page,
  nodeName,
  useQuery,
} from "../ui";
import { EditNode } from "./edit";

const QUERY = `query Person($id: ID!) {
  person(id: $id) {
    id name aliases birthYear gender nationality status protected pseudonym
    claims(first: 200) { edges {
      direction validFrom validTo datePrecision confidence retracted
      claim { id type }
      node { ${NODE_FIELDS} }
      evidence { id label title classification }
    } pageInfo { hasNextPage } }
  }
  personProfile(personId: $id) {
    roles { claim { id type validFrom validTo confidence datePrecision } target { ${NODE_FIELDS} } }
    incidents { mode certainty weakestConfidence corroborated incident { ${INCIDENT_FIELDS} } }
  }
  victimPath(personId: $id) {
    status
    detentions { kind start end node { ${NODE_FIELDS} } }
    incidents { kind start end node { ${NODE_FIELDS} } }
  }
}`;

export interface ClaimRow {
  direction: Direction | null;
  validFrom: string | null;
  validTo: string | null;
  datePrecision: DatePrecision;
  confidence: Confidence;
  retracted: boolean;
  claim: { id: string; type: ClaimType };
  node: NodeRef | null;
  evidence: NodeRef[];
}

interface Entry {
  kind: string;
  start: string | null;
  end: string | null;
  node: NodeRef | null;
}

interface Data {
  person: {
    id: string;
    name: string;
    aliases: string[];
    birthYear: number | null;
    gender: string | null;
    nationality: string | null;
    status: PersonStatus | null;
    protected: boolean;
    pseudonym: string | null;
    claims: { edges: ClaimRow[]; pageInfo: { hasNextPage: boolean } };
  } | null;
  personProfile: {
    roles: {
      claim: { id: string; type: ClaimType; validFrom: string | null; validTo: string | null; confidence: Confidence; datePrecision: DatePrecision };
      target: NodeRef | null;
    }[];
    incidents: { mode: LiabilityMode; certainty: Certainty; weakestConfidence: Confidence; corroborated: boolean; incident: NodeRef }[];
  };
  victimPath: { status: PersonStatus | null; detentions: Entry[]; incidents: Entry[] };
}

/** Roles over time: one bar a role. */
function Timeline({ roles }: { roles: Data["personProfile"]["roles"] }) {
  return (
    <Gantt
      label="Roles over time"
      empty="No dated role recorded."
      spans={roles.map((r) => ({
        key: r.claim.id,
        label: `${r.claim.type.toLowerCase()}: ${r.target ? nodeName(r.target) : "(withheld)"}`,
        start: r.claim.validFrom,
        end: r.claim.validTo,
        approx: r.claim.datePrecision === "APPROXIMATE",
        title: `${r.claim.type} ${r.claim.validFrom ?? "?"} – ${r.claim.validTo ?? "open"} (${r.claim.confidence.toLowerCase()})`,
      }))}
    />
  );
}

export function ClaimsTable({ rows, canWrite, onChanged }: { rows: ClaimRow[]; canWrite: boolean; onChanged: () => void }) {
  const [retracting, setRetracting] = useState<string | null>(null);
  const [attaching, setAttaching] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [evidenceIds, setEvidenceIds] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  async function attach(claimId: string) {
    try {
      await gql(`mutation Attach($c: ID!, $e: [ID!]!) { attachEvidence(claimId: $c, evidenceIds: $e) { id } }`, {
        c: claimId,
        e: evidenceIds.split(/[\s,]+/).filter(Boolean),
      });
      setAttaching(null);
      setEvidenceIds("");
      setError(null);
      onChanged();
    } catch (e) {
      setError(e as ApiError);
    }
  }
  async function retract(id: string) {
    try {
      await gql(`mutation Retract($id: ID!, $reason: String!) { retractClaim(id: $id, reason: $reason) { id retracted } }`, {
        id,
        reason,
      });
      setRetracting(null);
      setReason("");
      setError(null);
      onChanged();
    } catch (e) {
      setError(e as ApiError);
    }
  }
  return (
    <table class="claims">
      <thead>
        <tr>
          <th scope="col">Claim</th>
          <th scope="col">Other end</th>
          <th scope="col">Dates</th>
          <th scope="col">Confidence</th>
          <th scope="col">Evidence</th>
          {canWrite && <th scope="col" class="noprint">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.claim.id} class={r.retracted ? "retracted" : ""}>
            <td>
              {r.direction === "IN" ? "← " : ""}
              {r.claim.type.toLowerCase()}
              {r.direction === "OUT" ? " →" : ""}
            </td>
            <td>
              <NodeLink node={r.node} />
            </td>
            <td>
              <Dates from={r.validFrom} to={r.validTo} />
              {r.datePrecision === "APPROXIMATE" && <span class="muted"> (approx.)</span>}
            </td>
            <td>
              <ConfidenceBadge value={r.confidence} />
            </td>
            <td>
              {r.evidence.map((e) => (
                <span key={e.id} class="ev">
                  <NodeLink node={e} />
                </span>
              ))}
            </td>
            {canWrite && (
              <td class="noprint">
                {retracting === r.claim.id ? (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      void retract(r.claim.id);
                    }}
                  >
                    <label>
                      Reason <input value={reason} required onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
                    </label>
                    <FieldErrors error={error} field="reason" />
                    <button type="submit">Retract</button>
                    <button type="button" onClick={() => setRetracting(null)}>
                      Cancel
                    </button>
                    <ErrorBox error={error} />
                  </form>
                ) : attaching === r.claim.id ? (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      void attach(r.claim.id);
                    }}
                  >
                    <label>
                      Evidence ids <input name="evidenceIds" value={evidenceIds} required onInput={(e) => setEvidenceIds((e.target as HTMLInputElement).value)} />
                    </label>
                    <FieldErrors error={error} field="evidence" />
                    <button type="submit">Attach</button>
                    <button type="button" onClick={() => setAttaching(null)}>
                      Cancel
                    </button>
                    <ErrorBox error={error} />
                  </form>
                ) : (
                  <>
                    <button type="button" onClick={() => (setError(null), setRetracting(r.claim.id))}>
                      Retract…
                    </button>{" "}
                    <button type="button" onClick={() => (setError(null), setAttaching(r.claim.id))}>
                      Evidence…
                    </button>
                  </>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const COLLEAGUES = `query Colleagues($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id label
    ... on Unit { name claims(direction: IN, types: [MEMBER_OF, COMMANDED], first: 300) { edges {
      validFrom validTo datePrecision confidence claim { id type } node { ${NODE_FIELDS} } } } }
    ... on Facility { name claims(direction: IN, types: [POSTED_AT], first: 300) { edges {
      validFrom validTo datePrecision confidence claim { id type } node { ${NODE_FIELDS} } } } }
  }
}`;

interface ColleagueEdge {
  validFrom: string | null;
  validTo: string | null;
  confidence: Confidence;
  claim: { id: string; type: ClaimType };
  node: NodeRef | null;
}

/** Two periods share a day; an unknown start or end is open on that side. */
function overlaps(a1: string | null, b1: string | null, a2: string | null, b2: string | null): boolean {
  return (a1 === null || b2 === null || a1 <= b2) && (a2 === null || b1 === null || a2 <= b1);
}

/** Who else was a member of, commanded or was posted to the same units and facilities
 * while this person was there: colleagues, superiors, possible witnesses. */
function Colleagues({ personId, roles }: { personId: string; roles: Data["personProfile"]["roles"] }) {
  const places = roles.filter((r) => r.target && (r.target.label === "UNIT" || r.target.label === "FACILITY"));
  const ids = [...new Set(places.map((r) => r.target!.id))];
  const loaded = useQuery<{ nodes: ({ id: string; claims: { edges: ColleagueEdge[] } } | null)[] }>(
    ids.length ? COLLEAGUES : null,
    { ids },
  );
  if (ids.length === 0) return null;
  return (
    <Page loaded={loaded}>
      {(d) => {
        const rows: { place: NodeRef; edge: ColleagueEdge; role: (typeof places)[number] }[] = [];
        const listed = new Set<string>(); // a claim overlapping two of this person's roles there
        for (const role of places) {
          const place = d.nodes.find((n) => n?.id === role.target!.id);
          for (const edge of place?.claims.edges ?? []) {
            if (!edge.node || edge.node.id === personId) continue;
            if (listed.has(edge.claim.id)) continue;
            if (!overlaps(role.claim.validFrom, role.claim.validTo, edge.validFrom, edge.validTo)) continue;
            listed.add(edge.claim.id);
            rows.push({ place: role.target!, edge, role });
          }
        }
        if (rows.length === 0) return <p class="muted">Nobody else recorded there at the same time.</p>;
        return (
          <table data-testid="colleagues">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">How</th>
                <th scope="col">Where</th>
                <th scope="col">Their dates</th>
                <th scope="col">Confidence</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ place, edge, role }) => (
                <tr key={`${role.claim.id}:${edge.claim.id}`}>
                  <td>
                    <NodeLink node={edge.node} />
                  </td>
                  <td>{edge.claim.type.toLowerCase()}</td>
                  <td>
                    <NodeLink node={place} />
                  </td>
                  <td>
                    <Dates from={edge.validFrom} to={edge.validTo} />
                  </td>
                  <td>
                    <ConfidenceBadge value={edge.confidence} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      }}
    </Page>
  );
}

function Entries({ entries }: { entries: Entry[] }) {
  return (
    <ul>
      {entries.map((e, i) => (
        <li key={i}>
          <Dates from={e.start} to={e.end} /> {e.kind.toLowerCase()}: <NodeLink node={e.node} />
        </li>
      ))}
    </ul>
  );
}

export function PersonPage({ id, me }: { id: string; me: Me }) {
  const loaded = useQuery<Data>(QUERY, { id });
  return (
    <main>
      <Page loaded={loaded}>
        {(d) => {
          const p = d.person;
          if (!p) return <p>No person with id {id}.</p>;
          const vp = d.victimPath;
          return (
            <>
              <h1>
                <Name text={p.name} /> <span class="muted id">{p.id}</span>
              </h1>
              <EditNode label="PERSON" id={p.id} me={me} current={{ protected: p.protected }} onSaved={loaded.reload} />
              <dl class="facts">
                {p.aliases.length > 0 && (
                  <>
                    <dt>Also known as</dt>
                    <dd>
                      {p.aliases.map((a, i) => (
                        <span key={i} class="alias">
                          <Name text={a} />
                        </span>
                      ))}
                    </dd>
                  </>
                )}
                {p.birthYear && (
                  <>
                    <dt>Born</dt>
                    <dd>{p.birthYear}</dd>
                  </>
                )}
                {p.nationality && (
                  <>
                    <dt>Nationality</dt>
                    <dd>{p.nationality}</dd>
                  </>
                )}
                {p.status && (
                  <>
                    <dt>Fate</dt>
                    <dd>{p.status.toLowerCase()}</dd>
                  </>
                )}
                {p.protected && (
                  <>
                    <dt>Protected</dt>
                    <dd>yes{p.pseudonym ? ` (pseudonym ${p.pseudonym})` : ""}</dd>
                  </>
                )}
              </dl>
              <h2>Roles over time</h2>
              <Timeline roles={d.personProfile.roles} />
              <h2>Who else served there at the time</h2>
              <Colleagues personId={p.id} roles={d.personProfile.roles} />
              <h2>Incidents linked, by mode</h2>
              {d.personProfile.incidents.length === 0 ? (
                <p class="muted">None.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Incident</th>
                      <th scope="col">Mode</th>
                      <th scope="col">Certainty</th>
                      <th scope="col">Weakest confidence</th>
                      <th scope="col">Corroborated</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.personProfile.incidents.map((l, i) => (
                      <tr key={i}>
                        <td>
                          <NodeLink node={l.incident} /> <time class="muted">{l.incident.startDate}</time>
                        </td>
                        <td>{l.mode.toLowerCase().replace(/_/g, " ")}</td>
                        <td>
                          <CertaintyBadge value={l.certainty} />
                        </td>
                        <td>
                          <ConfidenceBadge value={l.weakestConfidence} />
                        </td>
                        <td>{l.corroborated ? "yes" : "no"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {(vp.detentions.length > 0 || vp.incidents.length > 0) && (
                <>
                  <h2>As a victim{vp.status ? `: ${vp.status.toLowerCase()}` : ""}</h2>
                  <h3>Detentions</h3>
                  <Entries entries={vp.detentions} />
                  <h3>Incidents suffered</h3>
                  <Entries entries={vp.incidents} />
                </>
              )}
              <h2>Claims</h2>
              <ClaimsTable rows={p.claims.edges} canWrite={me.canWrite} onChanged={loaded.reload} />
              {p.claims.pageInfo.hasNextPage && <p class="muted">Only the first 200 claims are shown.</p>}
            </>
          );
        }}
      </Page>
    </main>
  );
}
