// The legal elements of a link (person, incident, mode) and a case's evidence matrix:
// how far the recorded claims go towards each element, on what basis, on what evidence,
// and what would close a gap. An aid to organise evidence, not a legal finding.
import { Fragment } from "preact";
import { useState } from "preact/hooks";
import type { ClaimType, Confidence, ElementPart, ElementStatus, LiabilityMode } from "../gql/schema";
import { Dates, INCIDENT_FIELDS, type NodeRef, NodeLink, PERSON_FIELDS, Page, useQuery } from "../ui";

const ELEMENTS = `query Elements($person: ID!, $incident: ID!, $mode: LiabilityMode!) {
  liabilityElements(personId: $person, incidentId: $incident, mode: $mode) {
    element part basis status note
    claims { id type validFrom validTo confidence }
    evidence { id label title classification }
  }
}`;

const MATRIX = `query Matrix($id: ID!) {
  caseMatrix(caseId: $id) {
    rows {
      mode gaps
      person { ${PERSON_FIELDS} }
      incident { ${INCIDENT_FIELDS} }
      cells { element part status evidenceIds }
    }
  }
}`;

interface Assessment {
  element: string;
  part: ElementPart;
  basis: string;
  status: ElementStatus;
  note: string | null;
  claims: { id: string; type: ClaimType; validFrom: string | null; validTo: string | null; confidence: Confidence }[];
  evidence: NodeRef[];
}

interface Cell {
  element: string;
  part: ElementPart;
  status: ElementStatus;
  evidenceIds: string[];
}
interface Row {
  mode: LiabilityMode;
  gaps: number;
  person: NodeRef;
  incident: NodeRef;
  cells: Cell[];
}

export function words(s: string): string {
  return s.toLowerCase().replace(/_/g, " ");
}

export function StatusBadge({ status }: { status: ElementStatus }) {
  return <span class={`badge status-${status.toLowerCase()}`}>{words(status)}</span>;
}

/** Every element of one link, with its basis, note, claims and evidence. */
export function ElementList({ person, incident, mode }: { person: string; incident: string; mode: LiabilityMode }) {
  const loaded = useQuery<{ liabilityElements: Assessment[] }>(ELEMENTS, { person, incident, mode });
  return (
    <Page loaded={loaded}>
      {(d) => (
        <table class="elements" data-testid="elements" data-mode={mode}>
          <thead>
            <tr>
              <th scope="col">Element</th>
              <th scope="col">Status</th>
              <th scope="col">Basis</th>
              <th scope="col">Note</th>
              <th scope="col">Claims</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {d.liabilityElements.map((a) => (
              <tr key={`${a.part}:${a.element}`} data-element={a.element} data-part={a.part} data-status={a.status}>
                <th scope="row">
                  {words(a.element)} <span class="muted">({a.part === "LINK" ? "mode" : "crime"})</span>
                </th>
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td class="basis">{a.basis}</td>
                <td dir="auto">{a.note ?? ""}</td>
                <td>
                  {a.claims.map((c) => (
                    <span key={c.id} class="ev">
                      {words(c.type)} <Dates from={c.validFrom} to={c.validTo} /> <span class="muted id">{c.id}</span>
                    </span>
                  ))}
                </td>
                <td>
                  {a.evidence.map((e) => (
                    <span key={e.id} class="ev">
                      <NodeLink node={e} />
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

const ORDER = ["EFFECTIVE_CONTROL", "KNOWLEDGE", "FAILURE_TO_ACT", "AUTHORITY", "ORDER", "ASSISTANCE", "CONDUCT", "CUSTODY", "CONTEXT"];

function columns(rows: Row[]): { part: ElementPart; element: string }[] {
  const seen = new Map<string, { part: ElementPart; element: string }>();
  rows.forEach((r) => r.cells.forEach((c) => seen.set(`${c.part}:${c.element}`, { part: c.part, element: c.element })));
  const rank = (c: { part: ElementPart; element: string }) =>
    (c.part === "LINK" ? 0 : 100) + (ORDER.indexOf(c.element) < 0 ? 50 : ORDER.indexOf(c.element));
  return [...seen.values()].sort((a, b) => rank(a) - rank(b) || a.element.localeCompare(b.element));
}

/** A case's matrix: a row a person, incident and mode; the most gaps first. */
export function ElementMatrix({ caseId }: { caseId: string }) {
  const loaded = useQuery<{ caseMatrix: { rows: Row[] } }>(MATRIX, { id: caseId });
  const [open, setOpen] = useState<{ key: string; row: Row } | null>(null);
  return (
    <section class="matrix" data-testid="element-matrix">
      <h2>Elements: what is proved, what is missing</h2>
      <p class="muted">
        Each person of the case linked to an incident of the case, by mode of liability, element by element — the rows with
        the most gaps first. A status says how far the recorded claims go; it is an aid to find what to look for, not a
        legal finding. <em>Details</em> gives each element's basis, a note on what supports it or would close the gap, and
        its evidence.
      </p>
      <Page loaded={loaded}>
        {(d) => {
          const rows = d.caseMatrix.rows;
          if (rows.length === 0) return <p class="muted">No person of the case is linked to an incident of the case.</p>;
          const cols = columns(rows);
          return (
            <div class="scroll">
              <table class="matrix">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Incident</th>
                    <th scope="col">Mode</th>
                    <th scope="col">Gaps</th>
                    {cols.map((c) => (
                      <th key={`${c.part}:${c.element}`} scope="col" class={`part-${c.part.toLowerCase()}`}>
                        {words(c.element)}
                        <span class="muted"> ({c.part === "LINK" ? "mode" : "crime"})</span>
                      </th>
                    ))}
                    <th scope="col" class="noprint">
                      Details
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => {
                    const key = `${r.person.id}|${r.incident.id}|${r.mode}`;
                    const cells = new Map(r.cells.map((c) => [`${c.part}:${c.element}`, c]));
                    return (
                      <tr key={key} data-person={r.person.id} data-incident={r.incident.id} data-mode={r.mode} data-gaps={r.gaps}>
                        <td>
                          <NodeLink node={r.person} />
                        </td>
                        <td>
                          <NodeLink node={r.incident} />
                        </td>
                        <td>{words(r.mode)}</td>
                        <td>{r.gaps}</td>
                        {cols.map((c) => {
                          const cell = cells.get(`${c.part}:${c.element}`);
                          return (
                            <td key={`${c.part}:${c.element}`} data-element={c.element} data-part={c.part} data-status={cell?.status ?? ""}>
                              {cell ? (
                                <>
                                  <StatusBadge status={cell.status} />
                                  {cell.evidenceIds.length > 0 && (
                                    <span class="ev-links">
                                      {cell.evidenceIds.map((e) => (
                                        <Fragment key={e}>
                                          <NodeLink node={{ id: e, label: "EVIDENCE" }} />{" "}
                                        </Fragment>
                                      ))}
                                    </span>
                                  )}
                                </>
                              ) : (
                                <span class="muted">—</span>
                              )}
                            </td>
                          );
                        })}
                        <td class="noprint">
                          <button type="button" aria-expanded={open?.key === key} onClick={() => setOpen(open?.key === key ? null : { key, row: r })}>
                            {open?.key === key ? "Hide" : "Details"}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          );
        }}
      </Page>
      {open && (
                <section class="matrix-details" data-testid="matrix-details">
                  <h3>
                    <NodeLink node={open.row.person} />, <NodeLink node={open.row.incident} />, {words(open.row.mode)}
                  </h3>
                  <ElementList person={open.row.person.id} incident={open.row.incident.id} mode={open.row.mode} />
                </section>
      )}
    </section>
  );
}
