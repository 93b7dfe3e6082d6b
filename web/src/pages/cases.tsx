import { useEffect, useState } from "preact/hooks";
import { ApiError, download, gql } from "../api";
import { type ExportProfile, ExportProfileValues, type ExportStatus, type Me, type NodeLabel, NodeLabelValues } from "../gql/schema";
import { ErrorBox, FieldErrors, LABEL_NAME, NODE_FIELDS, Name, type NodeRef, NodeLink, Page, useQuery } from "../ui";
import { navigate } from "../router";
import { ElementMatrix } from "./elements";

const LIST = `query Cases($after: String) {
  cases(first: 50, after: $after) { totalCount edges { node { id label title jurisdiction status } } pageInfo { hasNextPage endCursor } }
}`;

interface CaseRow {
  id: string;
  label: "CASE";
  title: string;
  jurisdiction: string | null;
  status: string | null;
}

export function CasesPage({ me }: { me: Me }) {
  const loaded = useQuery<{ cases: { totalCount: number; edges: { node: CaseRow }[] } }>(LIST, {});
  const [title, setTitle] = useState("");
  const [jurisdiction, setJurisdiction] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  async function create(e: Event) {
    e.preventDefault();
    try {
      const data = await gql<{ createCase: { id: string } }>(
        `mutation CreateCase($title: String!, $jurisdiction: String) { createCase(title: $title, jurisdiction: $jurisdiction) { id } }`,
        { title, jurisdiction: jurisdiction || null },
      );
      navigate(`case/${encodeURIComponent(data.createCase.id)}`);
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <main>
      <h1>Case files</h1>
      <Page loaded={loaded}>
        {(d) => (
          <ul>
            {d.cases.edges.map(({ node }) => (
              <li key={node.id}>
                <NodeLink node={node} /> <span class="muted">{[node.jurisdiction, node.status].filter(Boolean).join(", ")}</span>
              </li>
            ))}
            {d.cases.totalCount === 0 && <li class="muted">No case file yet.</li>}
          </ul>
        )}
      </Page>
      {me.canWrite && (
        <form class="card" onSubmit={create}>
          <h2>New case file</h2>
          <label>
            Title <input name="title" required dir="auto" value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
          </label>
          <FieldErrors error={error} field="title" />
          <label>
            Jurisdiction <input name="jurisdiction" dir="auto" value={jurisdiction} onInput={(e) => setJurisdiction((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Create case file</button>
          <ErrorBox error={error} />
        </form>
      )}
    </main>
  );
}

/** On an incident page: add the incident and its trace to a case file. */
export function AddTraceToCase({ incidentId }: { incidentId: string }) {
  const loaded = useQuery<{ cases: { edges: { node: CaseRow }[] } }>(LIST, {});
  const [caseId, setCaseId] = useState("");
  const [leads, setLeads] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  async function add(e: Event) {
    e.preventDefault();
    try {
      const data = await gql<{ addTraceToCase: { changed: string[]; unchanged: string[] } }>(
        `mutation AddTrace($c: ID!, $i: ID!, $leads: Boolean!) { addTraceToCase(caseId: $c, incidentId: $i, includeLeads: $leads) { changed unchanged } }`,
        { c: caseId, i: incidentId, leads },
      );
      setError(null);
      setDone(`${data.addTraceToCase.changed.length} added, ${data.addTraceToCase.unchanged.length} already in the case.`);
    } catch (err) {
      setError(err as ApiError);
    }
  }
  const cases = loaded.data?.cases.edges ?? [];
  return (
    <form class="card noprint" onSubmit={add}>
      <h2>Add this trace to a case file</h2>
      <label>
        Case file{" "}
        <select name="case" required value={caseId} onChange={(e) => setCaseId((e.target as HTMLSelectElement).value)}>
          <option value="">Choose…</option>
          {cases.map(({ node }) => (
            <option key={node.id} value={node.id}>
              {node.title} ({node.id})
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" checked={leads} onChange={(e) => setLeads((e.target as HTMLInputElement).checked)} /> include leads (present only)
      </label>
      <button type="submit">Add trace</button>
      {done && (
        <p role="status">
          {done} <a href={`/app/case/${encodeURIComponent(caseId)}`}>Open the case file</a>
        </p>
      )}
      <ErrorBox error={error} />
    </form>
  );
}

const CASE = `query Case($id: ID!) {
  case(id: $id) { id title jurisdiction status members(first: 500) { totalCount nodes { ${NODE_FIELDS} } } }
}`;

interface CaseData {
  case: { id: string; title: string; jurisdiction: string | null; status: string | null; members: { totalCount: number; nodes: NodeRef[] } } | null;
}

interface Job {
  id: string;
  status: ExportStatus;
  profile: ExportProfile;
  recordsDone: number;
  recordsTotal: number | null;
  error: string | null;
  manifestSha256: string | null;
  downloadUrl: string | null;
  nodeCount: number | null;
  claimCount: number | null;
}
const JOB_FIELDS = `id status profile recordsDone recordsTotal error manifestSha256 downloadUrl nodeCount claimCount`;

/** Export a case file or an incident's trace as a signed bundle, and download it. */
export function Export({ caseId, incidentId, me }: { caseId?: string; incidentId?: string; me: Me }) {
  const allowed = ExportProfileValues.slice(ExportProfileValues.indexOf(me.exportProfile));
  const [profile, setProfile] = useState<ExportProfile>(allowed[0]!);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (!job || job.status !== "RUNNING") return;
    const timer = setTimeout(async () => {
      try {
        const d = await gql<{ exportJob: Job }>(`query Job($id: ID!) { exportJob(id: $id) { ${JOB_FIELDS} } }`, { id: job.id });
        setJob(d.exportJob);
      } catch (e) {
        setError(e as ApiError);
      }
    }, 500);
    return () => clearTimeout(timer);
  }, [job]);
  async function start(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const d = await gql<{ startExport: Job }>(
        `mutation Export($c: ID, $i: ID, $p: ExportProfile!) { startExport(caseId: $c, incidentId: $i, profile: $p) { ${JOB_FIELDS} } }`,
        { c: caseId ?? null, i: incidentId ?? null, p: profile },
      );
      setJob(d.startExport);
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <form class="card noprint" onSubmit={start}>
      <h2>{incidentId ? "Export this trace as a bundle" : "Export a bundle"}</h2>
      <label>
        Profile{" "}
        <select name="profile" value={profile} onChange={(e) => setProfile((e.target as HTMLSelectElement).value as ExportProfile)}>
          {allowed.map((p) => (
            <option key={p} value={p}>
              {p.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={job?.status === "RUNNING"}>
        Start export
      </button>
      {job && (
        <div class="job" data-status={job.status} role="status">
          <p>
            Export {job.id}: {job.status.toLowerCase()} ({job.profile.toLowerCase()}), {job.recordsDone}
            {job.recordsTotal != null ? ` of ${job.recordsTotal}` : ""} records.
          </p>
          {job.status === "RUNNING" && <progress value={job.recordsDone} max={job.recordsTotal ?? undefined} />}
          {job.error && <p class="error">{job.error}</p>}
          {job.manifestSha256 && (
            <p>
              Manifest SHA-256: <code class="hash" data-testid="manifest-hash">{job.manifestSha256}</code>
            </p>
          )}
          {job.downloadUrl && (
            <button type="button" onClick={() => void download(job.downloadUrl!, `${job.id}.zip`).catch((e: ApiError) => setError(e))}>
              Download bundle
            </button>
          )}
        </div>
      )}
      <ErrorBox error={error} />
    </form>
  );
}

export function CasePage({ id, me }: { id: string; me: Me }) {
  const loaded = useQuery<CaseData>(CASE, { id });
  const [ids, setIds] = useState("");
  const [reason, setReason] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function add(e: Event) {
    e.preventDefault();
    try {
      const d = await gql<{ addToCase: { changed: string[]; unchanged: string[] } }>(
        `mutation Add($c: ID!, $ids: [ID!]!) { addToCase(caseId: $c, ids: $ids) { changed unchanged } }`,
        { c: id, ids: ids.split(/[\s,]+/).filter(Boolean) },
      );
      setError(null);
      setIds("");
      setStatus(`${d.addToCase.changed.length} added.`);
      loaded.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  async function remove(e: Event) {
    e.preventDefault();
    try {
      const d = await gql<{ removeFromCase: { changed: string[] } }>(
        `mutation Remove($c: ID!, $ids: [ID!]!, $reason: String!) { removeFromCase(caseId: $c, ids: $ids, reason: $reason) { changed } }`,
        { c: id, ids: [...selected], reason },
      );
      setError(null);
      setSelected(new Set());
      setReason("");
      setStatus(`${d.removeFromCase.changed.length} removed.`);
      loaded.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <main>
      <Page loaded={loaded}>
        {(d) => {
          const c = d.case;
          if (!c) return <p>No case file with id {id}.</p>;
          const byLabel = new Map<NodeLabel, NodeRef[]>();
          c.members.nodes.forEach((n) => byLabel.set(n.label, [...(byLabel.get(n.label) ?? []), n]));
          return (
            <>
              <h1>
                <Name text={c.title} /> <span class="muted id">{c.id}</span>
              </h1>
              <p>{[c.jurisdiction, c.status].filter(Boolean).join(" · ")}</p>
              <h2>Members ({c.members.totalCount})</h2>
              <div class="member-groups">
              {NodeLabelValues.filter((l) => byLabel.has(l)).map((l) => (
                <section key={l} class="members" data-label={l}>
                  <h3>
                    {LABEL_NAME[l]} ({byLabel.get(l)!.length})
                  </h3>
                  <ul>
                    {byLabel.get(l)!.map((n) => (
                      <li key={n.id}>
                        {me.canWrite && (
                          <input
                            type="checkbox"
                            class="noprint"
                            aria-label={`select ${n.id}`}
                            checked={selected.has(n.id)}
                            onChange={(e) => {
                              const next = new Set(selected);
                              if ((e.target as HTMLInputElement).checked) next.add(n.id);
                              else next.delete(n.id);
                              setSelected(next);
                            }}
                          />
                        )}{" "}
                        <NodeLink node={n} /> <span class="muted id">{n.id}</span>
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
              </div>
              {status && <p role="status">{status}</p>}
              <ErrorBox error={error} />
              {me.canWrite && (
                <div class="noprint columns">
                  <form class="card" onSubmit={remove}>
                    <h2>Remove the selected ({selected.size})</h2>
                    <label>
                      Reason <input name="reason" required value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
                    </label>
                    <FieldErrors error={error} field="reason" />
                    <button type="submit" disabled={selected.size === 0}>
                      Remove
                    </button>
                  </form>
                  <form class="card" onSubmit={add}>
                    <h2>Add by id</h2>
                    <label>
                      Ids (space or comma separated) <input name="ids" required value={ids} onInput={(e) => setIds((e.target as HTMLInputElement).value)} />
                    </label>
                    <FieldErrors error={error} field="ids" />
                    <button type="submit">Add</button>
                  </form>
                </div>
              )}
              <ElementMatrix key={`${c.id}:${c.members.totalCount}`} caseId={c.id} />
              <Export caseId={c.id} me={me} />
            </>
          );
        }}
      </Page>
    </main>
  );
}
