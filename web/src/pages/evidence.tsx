import { Dates, NODE_FIELDS, Name, type NodeRef, NodeLink, Page, useQuery } from "../ui";

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

export function EvidencePage({ id }: { id: string }) {
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
                <ol>
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
            </>
          );
        }}
      </Page>
    </main>
  );
}
