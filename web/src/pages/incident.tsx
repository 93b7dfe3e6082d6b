import cytoscape from "cytoscape";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Certainty, ClaimType, Confidence, LiabilityMode, Me } from "../gql/schema";
import {
  CertaintyBadge,
  ConfidenceBadge,
  Dates,
  NODE_FIELDS,
  Name,
  PERSON_FIELDS,
  type NodeRef,
  NodeLink,
  Page,
  nodeName,
  useQuery,
} from "../ui";
import { AddTraceToCase, Export } from "./cases";
import { EditNode } from "./edit";
import { ElementList } from "./elements";

const STEP = `path { node { ${NODE_FIELDS} } claim { id type validFrom validTo datePrecision confidence } }`;
const EVIDENCE = `evidence { id label title kind classification sha256 source }`;

const QUERY = `query Incident($id: ID!) {
  incident(id: $id) { id label kind title startDate endDate description }
  trace(incidentId: $id) {
    periodStart periodEnd truncated partial missing
    links { mode certainty weakestConfidence corroborated person { ${PERSON_FIELDS} } ${STEP} ${EVIDENCE} }
  }
}`;

const EXPLAIN = `query Explain($person: ID!, $incident: ID!) {
  explain(personId: $person, incidentId: $incident) {
    person { id name } omittedPaths truncated
    paths { mode qualifies reasons certainty weakestConfidence corroborated ${STEP} ${EVIDENCE} }
  }
}`;

interface Step {
  node: NodeRef | null;
  claim: { id: string; type: ClaimType; validFrom: string | null; validTo: string | null; datePrecision: string; confidence: Confidence } | null;
}
interface EvidenceRow {
  id: string;
  label: "EVIDENCE";
  title: string;
  kind: string;
  classification: string;
  sha256: string | null;
  source: string | null;
}
interface Link {
  mode: LiabilityMode;
  certainty: Certainty;
  weakestConfidence: Confidence;
  corroborated: boolean;
  person: NodeRef;
  path: Step[];
  evidence: EvidenceRow[];
}
interface Data {
  incident: { id: string; label: "INCIDENT"; kind: string; title: string | null; startDate: string | null; endDate: string | null; description: string | null } | null;
  trace: { periodStart: string | null; periodEnd: string | null; truncated: boolean; partial: boolean; missing: string[]; links: Link[] };
}
interface ExplainData {
  explain: {
    person: { id: string; name: string };
    omittedPaths: number;
    truncated: boolean;
    paths: { mode: LiabilityMode; qualifies: boolean; reasons: string[]; certainty: Certainty; weakestConfidence: Confidence; corroborated: boolean; path: Step[]; evidence: EvidenceRow[] }[];
  };
}

export const MODE_COLOUR: Record<LiabilityMode, string> = {
  PERPETRATION: "#b2182b",
  ORDERING: "#d6604d",
  AIDING_ABETTING: "#8073ac",
  SUPERIOR_RESPONSIBILITY: "#2166ac",
  PRESENT: "#7f7f7f",
};
const LINE: Record<Certainty, string> = { ESTABLISHED: "solid", POSSIBLE: "dashed", UNDATED: "dotted" };
const SHAPE: Record<string, string> = { PERSON: "ellipse", UNIT: "round-rectangle", FACILITY: "diamond", INCIDENT: "star" };

function mode(m: LiabilityMode): string {
  return m.toLowerCase().replace(/_/g, " ");
}

function pathText(path: Step[]): string {
  return path
    .map((s) => (s.node ? nodeName(s.node) : "(withheld)") + (s.claim ? ` —${s.claim.type.toLowerCase()}→` : ""))
    .join(" ");
}

/** Each claim of a path in words: who, what, whom, when, how sure. */
function steps(path: Step[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const c = path[i]!.claim;
    if (!c) continue;
    const from = path[i]!.node ? nodeName(path[i]!.node!) : "(withheld)";
    const to = path[i + 1]!.node ? nodeName(path[i + 1]!.node!) : "(withheld)";
    const when = c.validFrom || c.validTo ? `from ${c.validFrom ?? "an unknown date"} to ${c.validTo ?? "an open end"}` : "undated";
    out.push(
      `${from} ${c.type.toLowerCase().replace(/_/g, " ")} ${to}, ${when}` +
        ` (${c.datePrecision.toLowerCase()} dates, ${c.confidence.toLowerCase()} confidence; claim ${c.id}).`,
    );
  }
  return out;
}

/** The trace as a graph: persons, units, facilities and the incident; each edge a claim
 * on a path, coloured by the link's mode, its line by certainty. */
function TraceGraph({ links, incident, onPerson }: { links: Link[]; incident: NodeRef; onPerson: (id: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const nodes = new Map<string, cytoscape.ElementDefinition>();
    const edges = new Map<string, cytoscape.ElementDefinition>();
    const addNode = (n: NodeRef) => {
      if (!nodes.has(n.id)) nodes.set(n.id, { data: { id: n.id, name: nodeName(n), label: n.label, shape: SHAPE[n.label] ?? "ellipse" } });
    };
    addNode(incident);
    for (const link of links) {
      for (let i = 0; i < link.path.length; i++) {
        const step = link.path[i]!;
        if (step.node) addNode(step.node);
        const next = link.path[i + 1];
        if (step.claim && step.node && next?.node) {
          const key = `${step.claim.id}:${link.mode}`;
          if (!edges.has(key)) {
            const c = step.claim;
            edges.set(key, {
              data: {
                id: key,
                source: step.node.id,
                target: next.node.id,
                name: `${c.type.toLowerCase()} ${c.validFrom ?? "?"}–${c.validTo ?? ""}`,
                colour: MODE_COLOUR[link.mode],
                line: LINE[link.certainty],
              },
            });
          }
        }
      }
    }
    const cy = cytoscape({
      container: box.current,
      elements: [...nodes.values(), ...edges.values()],
      // The incident on top, each ring below one claim further away.
      layout: { name: "breadthfirst", directed: false, roots: [incident.id], spacingFactor: 1.2, padding: 20 },
      style: [
        {
          selector: "node",
          style: {
            label: "data(name)",
            shape: "data(shape)" as never,
            "font-size": 10,
            "text-wrap": "wrap",
            "text-max-width": "120px",
            "text-valign": "bottom",
            "background-color": "#999",
            width: 22,
            height: 22,
          },
        },
        { selector: 'node[label = "PERSON"]', style: { "background-color": "#444" } },
        { selector: 'node[label = "UNIT"]', style: { "background-color": "#4a7ebb" } },
        { selector: 'node[label = "FACILITY"]', style: { "background-color": "#c9a227" } },
        { selector: 'node[label = "INCIDENT"]', style: { "background-color": "#b2182b", width: 30, height: 30 } },
        {
          selector: "edge",
          style: {
            label: "data(name)",
            "font-size": 7,
            color: "#333",
            "text-background-color": "#fcfcfd",
            "text-background-opacity": 0.85,
            "text-background-padding": "1px",
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "line-color": "data(colour)",
            "target-arrow-color": "data(colour)",
            "line-style": "data(line)" as never,
            width: 2,
            "text-rotation": "autorotate",
          },
        },
      ],
    });
    cy.on("tap", 'node[label = "PERSON"]', (event) => onPerson(String(event.target.id())));
    // What was drawn, for tests and for anyone checking the graph against the table.
    box.current.dataset.nodes = String(cy.nodes().length);
    box.current.dataset.edges = String(cy.edges().length);
    return () => cy.destroy();
  }, [links, incident]);
  return <div ref={box} class="graph" data-testid="trace-graph" aria-label="Trace graph (the table below holds the same links)" role="img" />;
}

function Explain({ person, incident, modes, onClose }: { person: string; incident: string; modes: LiabilityMode[]; onClose: () => void }) {
  const loaded = useQuery<ExplainData>(EXPLAIN, { person, incident });
  return (
    <section class="explain" aria-live="polite" data-person={person}>
      <h2>
        Why? {loaded.data && <Name text={loaded.data.explain.person.name} />}{" "}
        <button type="button" class="noprint" onClick={onClose}>
          Close
        </button>
      </h2>
      <Page loaded={loaded}>
        {(d) => (
          <ol>
            {d.explain.paths.map((p, i) => (
              <li key={i} class={p.qualifies ? "qualifies" : "not-qualifies"}>
                <strong>{mode(p.mode)}</strong> — {p.qualifies ? "qualifies" : "does not qualify"}; <CertaintyBadge value={p.certainty} />{" "}
                weakest confidence <ConfidenceBadge value={p.weakestConfidence} />
                {p.corroborated ? ", corroborated" : ", not corroborated"}
                <p class="path">
                  <bdi dir="auto">{pathText(p.path)}</bdi>
                </p>
                <ul class="reasons">
                  {p.reasons.map((r, j) => (
                    <li key={`r${j}`} class="reason-against">
                      {r}
                    </li>
                  ))}
                  {steps(p.path).map((s, j) => (
                    <li key={`s${j}`} class="step">
                      {s}
                    </li>
                  ))}
                </ul>
                <p class="muted">
                  Evidence:{" "}
                  {p.evidence.map((e) => (
                    <span key={e.id} class="ev">
                      <NodeLink node={e} />
                    </span>
                  ))}
                </p>
              </li>
            ))}
            {d.explain.omittedPaths > 0 && <li class="muted">{d.explain.omittedPaths} more paths not shown.</li>}
          </ol>
        )}
      </Page>
      {modes
        .filter((m) => m !== "PRESENT")
        .map((m) => (
          <section key={m} class="elements-of" data-mode={m}>
            <h3>Elements of {mode(m)}: what the claims support, what is missing</h3>
            <ElementList person={person} incident={incident} mode={m} />
          </section>
        ))}
    </section>
  );
}

export function IncidentPage({ id, me }: { id: string; me: Me }) {
  const loaded = useQuery<Data>(QUERY, { id });
  const [explaining, setExplaining] = useState<string | null>(null);
  return (
    <main>
      <Page loaded={loaded}>
        {(d) => {
          const inc = d.incident;
          if (!inc) return <p>No incident with id {id}.</p>;
          const t = d.trace;
          const evidence = new Map<string, EvidenceRow>();
          t.links.forEach((l) => l.evidence.forEach((e) => evidence.set(e.id, e)));
          return (
            <>
              <h1>
                <Name text={inc.title ?? inc.id} /> <span class="muted id">{inc.id}</span>
              </h1>
              <EditNode label="INCIDENT" id={inc.id} me={me} current={{}} onSaved={loaded.reload} />
              <p>
                {inc.kind.toLowerCase().replace(/_/g, " ")}, <Dates from={inc.startDate} to={inc.endDate} />
              </p>
              {inc.description && (
                <p dir="auto" class="description">
                  {inc.description}
                </p>
              )}
              <h2>Who is linked, and how</h2>
              {t.partial && <p class="warning">Partial trace: {t.missing.join("; ")}</p>}
              {t.truncated && <p class="warning">A command chain goes on above the depth searched.</p>}
              <p class="legend">
                {(Object.keys(MODE_COLOUR) as LiabilityMode[]).map((m) => (
                  <span key={m} class={`legend-item mode-${m.toLowerCase()}`}>
                    {mode(m)}
                  </span>
                ))}
                <span class="muted"> · solid: established, dashed: possible, dotted: undated. Click a person for the reasons.</span>
              </p>
              <TraceGraph links={t.links} incident={inc as NodeRef} onPerson={setExplaining} />
              {explaining && (
                <Explain
                  key={explaining}
                  person={explaining}
                  incident={inc.id}
                  modes={[...new Set(t.links.filter((l) => l.person.id === explaining).map((l) => l.mode))]}
                  onClose={() => setExplaining(null)}
                />
              )}
              <table class="trace" data-testid="trace-table">
                <caption>Trace of {inc.id}: {t.links.length} links</caption>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Mode</th>
                    <th scope="col">Certainty</th>
                    <th scope="col">Weakest confidence</th>
                    <th scope="col">Corroborated</th>
                    <th scope="col">Path</th>
                    <th scope="col" class="noprint">Reasons</th>
                  </tr>
                </thead>
                <tbody>
                  {t.links.map((l, i) => (
                    <tr key={i} data-person={l.person.id} data-mode={l.mode}>
                      <td>
                        <NodeLink node={l.person} />
                      </td>
                      <td>{mode(l.mode)}</td>
                      <td>
                        <CertaintyBadge value={l.certainty} />
                      </td>
                      <td>
                        <ConfidenceBadge value={l.weakestConfidence} />
                      </td>
                      <td>{l.corroborated ? "yes" : "no"}</td>
                      <td class="path">
                        <bdi dir="auto">{pathText(l.path)}</bdi>
                      </td>
                      <td class="noprint">
                        <button type="button" onClick={() => setExplaining(l.person.id)}>
                          Explain
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>Evidence</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Classification</th>
                    <th scope="col">Source</th>
                    <th scope="col">SHA-256</th>
                  </tr>
                </thead>
                <tbody>
                  {[...evidence.values()].map((e) => (
                    <tr key={e.id}>
                      <td>
                        <NodeLink node={e} />
                      </td>
                      <td>{e.kind.toLowerCase()}</td>
                      <td>{e.classification.toLowerCase()}</td>
                      <td>{e.source && <Name text={e.source} />}</td>
                      <td class="hash">{e.sha256 ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {me.canWrite && <AddTraceToCase incidentId={inc.id} />}
              <Export incidentId={inc.id} me={me} />
            </>
          );
        }}
      </Page>
    </main>
  );
}
