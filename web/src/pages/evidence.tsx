import { useState } from "preact/hooks";
import { ApiError, gql } from "../api";
import type { Me } from "../gql/schema";
import { Dates, ErrorBox, FieldErrors, NODE_FIELDS, Name, type NodeRef, NodeLink, Page, useQuery } from "../ui";
import { EditNode } from "./edit";

const ACTIONS = ["received", "transferred", "checked", "copied"] as const;

const QUERY = `query Evidence($id: ID!) {
  evidence(id: $id) {
    id kind title sha256 source acquiredAt reliability credibility classification
    custody { id at action fromParty toParty by sha256 hashOk note }
    supports(first: 200) { edges { claim { id type validFrom validTo confidence from { ${NODE_FIELDS} } to { ${NODE_FIELDS} } } } }
  }
}`;

interface Data {
  evidence: {
    id: string;
    kind: string;
    title: string;
    sha256: string | null;
    source: string | null;
    acquiredAt: string | null;
    reliability: string | null;
    credibility: number | null;
    classification: string;
    custody: { id: string; at: string; action: string; fromParty: string | null; toParty: string | null; by: string; sha256: string | null; hashOk: boolean | null; note: string | null }[];
    supports: { edges: { claim: { id: string; type: string; validFrom: string | null; validTo: string | null; confidence: string; from: NodeRef | null; to: NodeRef | null } }[] };
  } | null;
}

interface Recorded {
  id: string;
  action: string;
  hashOk: boolean | null;
}

/** Investigators record who received, handed over, checked or copied the item. */
function RecordCustody({ id, cleared, onRecorded }: { id: string; cleared: boolean; onRecorded: () => void }) {
  const [action, setAction] = useState<string>("transferred");
  const [fromParty, setFrom] = useState("");
  const [toParty, setTo] = useState("");
  const [sha256, setSha] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [recorded, setRecorded] = useState<Recorded | null>(null);
  const text = (e: Event) => (e.target as HTMLInputElement).value;
  async function submit(e: Event) {
    e.preventDefault();
    setRecorded(null);
    try {
      const d = await gql<{ recordCustody: Recorded }>(
        `mutation Custody($id: ID!, $action: String!, $from: String, $to: String, $sha: String, $note: String) {
          recordCustody(evidenceId: $id, action: $action, fromParty: $from, toParty: $to, sha256: $sha, note: $note) { id action hashOk }
        }`,
        { id, action, from: fromParty.trim() || null, to: toParty.trim() || null, sha: sha256.trim() || null, note: note.trim() || null },
      );
      setError(null);
      setRecorded(d.recordCustody);
      setFrom("");
      setTo("");
      setSha("");
      setNote("");
      onRecorded();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(String(err), "ERROR"));
    }
  }
  return (
    <form class="card noprint" onSubmit={submit} data-testid="record-custody">
      <h3>Record a custody event</h3>
      <label>
        Action{" "}
        <select name="action" value={action} onChange={(e) => setAction(text(e))}>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <FieldErrors error={error} field="action" />
      <label>
        From <input name="fromParty" dir="auto" value={fromParty} onInput={(e) => setFrom(text(e))} />
      </label>
      <FieldErrors error={error} field="fromParty" />
      <label>
        To <input name="toParty" dir="auto" value={toParty} onInput={(e) => setTo(text(e))} />
      </label>
      <FieldErrors error={error} field="toParty" />
      <label>
        SHA-256 of the file as held (optional: compared with the recorded hash){" "}
        <input name="sha256" class="hash" value={sha256} onInput={(e) => setSha(text(e))} />
      </label>
      <FieldErrors error={error} field="sha256" />
      <label>
        Note <textarea name="note" dir="auto" rows={2} value={note} onInput={(e) => setNote(text(e))} />
      </label>
      <FieldErrors error={error} field="note" />
      {!cleared && <p class="muted">Parties and notes are kept, and shown to prosecutors and admins only.</p>}
      <button type="submit">Record</button>
      {recorded && (
        <p role="status">
          Recorded: {recorded.action}
          {recorded.hashOk != null && (
            <span class={recorded.hashOk ? "ok" : "error"}> — the hash {recorded.hashOk ? "matches" : "DOES NOT match"} the recorded one</span>
          )}
          .
        </p>
      )}
      <ErrorBox error={error} />
    </form>
  );
}

export function EvidencePage({ id, me }: { id: string; me: Me }) {
  const loaded = useQuery<Data>(QUERY, { id });
  return (
    <main>
      <Page loaded={loaded}>
        {(d) => {
          const e = d.evidence;
          if (!e) return <p>No evidence item with id {id}.</p>;
          return (
            <>
              <h1>
                <Name text={e.title} /> <span class="muted id">{e.id}</span>
              </h1>
              <EditNode label="EVIDENCE" id={e.id} me={me} current={{ classification: e.classification }} onSaved={loaded.reload} />
              <dl class="facts">
                <dt>Kind</dt>
                <dd>{e.kind.toLowerCase()}</dd>
                <dt>Classification</dt>
                <dd>{e.classification.toLowerCase()}</dd>
                {e.source && (
                  <>
                    <dt>Source</dt>
                    <dd>
                      <Name text={e.source} />
                    </dd>
                  </>
                )}
                {e.acquiredAt && (
                  <>
                    <dt>Acquired</dt>
                    <dd>
                      <time>{e.acquiredAt}</time>
                    </dd>
                  </>
                )}
                {(e.reliability || e.credibility != null) && (
                  <>
                    <dt>Grading</dt>
                    <dd>
                      {e.reliability ?? "?"}
                      {e.credibility ?? "?"}
                    </dd>
                  </>
                )}
                <dt>SHA-256</dt>
                <dd class="hash">{e.sha256 ?? "—"}</dd>
              </dl>
              <h2>Claims it supports</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col">Claim</th>
                    <th scope="col">To</th>
                    <th scope="col">Dates</th>
                    <th scope="col">Confidence</th>
                  </tr>
                </thead>
                <tbody>
                  {e.supports.edges.map(({ claim: c }) => (
                    <tr key={c.id}>
                      <td>
                        <NodeLink node={c.from} />
                      </td>
                      <td>{c.type.toLowerCase()}</td>
                      <td>
                        <NodeLink node={c.to} />
                      </td>
                      <td>
                        <Dates from={c.validFrom} to={c.validTo} />
                      </td>
                      <td>{c.confidence.toLowerCase()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>Chain of custody</h2>
              {e.custody.length === 0 ? (
                <p class="muted">No custody events recorded.</p>
              ) : (
                <ol data-testid="custody">
                  {e.custody.map((c) => (
                    <li key={c.id}>
                      <time>{c.at}</time> {c.action} by <Name text={c.by} />
                      {c.fromParty && (
                        <>
                          {" "}
                          from <Name text={c.fromParty} />
                        </>
                      )}
                      {c.toParty && (
                        <>
                          {" "}
                          to <Name text={c.toParty} />
                        </>
                      )}
                      {c.hashOk != null && <span class={c.hashOk ? "ok" : "error"}> hash {c.hashOk ? "matches" : "DOES NOT match"}</span>}
                      {c.note && (
                        <>
                          {" "}
                          — <Name text={c.note} />
                        </>
                      )}
                    </li>
                  ))}
                </ol>
              )}
              {me.canWrite && <RecordCustody id={e.id} cleared={me.cleared} onRecorded={loaded.reload} />}
            </>
          );
        }}
      </Page>
    </main>
  );
}
