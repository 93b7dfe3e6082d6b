// Admins: API tokens (create, revoke) and the audit log with its chain's check.
import { useState } from "preact/hooks";
import { ApiError, gql } from "../api";
import { type AccessRole, AccessRoleValues, type Me } from "../gql/schema";
import { ErrorBox, FieldErrors, Name, Page, useQuery } from "../ui";

const TOKENS = `query Tokens { tokens { id role name createdAt revokedAt } }`;
const AUDIT = `query Audit { auditLog(first: 200) { edges { node { seq at actor role action targetCount summary } } pageInfo { hasNextPage } } }`;
const VERIFY = `query Verify { auditVerification { checked intact brokenAt reason headSeq headHash } }`;

interface TokenRow {
  id: string;
  role: AccessRole;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}
interface AuditData {
  auditLog: {
    edges: { node: { seq: number; at: string; actor: string; role: string; action: string; targetCount: number; summary: string } }[];
    pageInfo: { hasNextPage: boolean };
  };
}
interface Verification {
  checked: number;
  intact: boolean;
  brokenAt: number | null;
  reason: string | null;
  headSeq: number;
  headHash: string;
}

function Tokens() {
  const loaded = useQuery<{ tokens: TokenRow[] }>(TOKENS, {});
  const [name, setName] = useState("");
  const [role, setRole] = useState<AccessRole>("ANALYST");
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  async function create(e: Event) {
    e.preventDefault();
    try {
      const d = await gql<{ createToken: { name: string; token: string } }>(
        `mutation CreateToken($role: AccessRole!, $name: String!) { createToken(role: $role, name: $name) { id name token } }`,
        { role, name },
      );
      setCreated(d.createToken);
      setName("");
      setError(null);
      loaded.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  async function revoke(id: string) {
    if (!window.confirm(`Revoke token ${id}? Its holder loses access.`)) return;
    try {
      await gql(`mutation Revoke($id: ID!) { revokeToken(id: $id) }`, { id });
      setError(null);
      loaded.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <section>
      <h2>API tokens</h2>
      <Page loaded={loaded}>
        {(d) => (
          <table data-testid="tokens">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Holder</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Revoked</th>
                <th scope="col" class="noprint">Actions</th>
              </tr>
            </thead>
            <tbody>
              {d.tokens.map((t) => (
                <tr key={t.id} class={t.revokedAt ? "retracted" : ""}>
                  <td class="id">{t.id}</td>
                  <td>
                    <Name text={t.name} />
                  </td>
                  <td>{t.role.toLowerCase()}</td>
                  <td>
                    <time>{t.createdAt}</time>
                  </td>
                  <td>{t.revokedAt && <time>{t.revokedAt}</time>}</td>
                  <td class="noprint">
                    {!t.revokedAt && (
                      <button type="button" onClick={() => void revoke(t.id)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Page>
      <form class="card noprint" onSubmit={create}>
        <h3>New token</h3>
        <label>
          Holder's name <input name="holder" required dir="auto" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <FieldErrors error={error} field="name" />
        <label>
          Role{" "}
          <select name="role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as AccessRole)}>
            {AccessRoleValues.map((r) => (
              <option key={r} value={r}>
                {r.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Create token</button>
        <ErrorBox error={error} />
        {created && (
          <p role="status">
            Token for <Name text={created.name} />, shown this once — hand it over safely: <code class="hash" data-testid="new-token">{created.token}</code>
          </p>
        )}
      </form>
    </section>
  );
}

function Audit() {
  const loaded = useQuery<AuditData>(AUDIT, {});
  const [verification, setVerification] = useState<Verification | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function verify() {
    setBusy(true);
    try {
      setVerification((await gql<{ auditVerification: Verification }>(VERIFY)).auditVerification);
      setError(null);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section>
      <h2>Audit log</h2>
      <p>
        <button type="button" class="noprint" disabled={busy} onClick={() => void verify()}>
          Verify the chain
        </button>{" "}
        {verification && (
          <span role="status" data-testid="audit-status" class={verification.intact ? "ok" : "error"}>
            {verification.intact
              ? `Chain intact: ${verification.checked} entries verified. Head ${verification.headSeq}:${verification.headHash}`
              : `Chain BROKEN at entry ${verification.brokenAt}: ${verification.reason}`}
          </span>
        )}
      </p>
      <ErrorBox error={error} />
      <Page loaded={loaded}>
        {(d) => (
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Targets</th>
                <th scope="col">Summary</th>
              </tr>
            </thead>
            <tbody>
              {d.auditLog.edges.map(({ node: e }) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>
                    <time>{e.at}</time>
                  </td>
                  <td>
                    <bdi dir="auto">{e.actor}</bdi> ({e.role})
                  </td>
                  <td>{e.action}</td>
                  <td>{e.targetCount}</td>
                  <td dir="auto">{e.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Page>
      {loaded.data?.auditLog.pageInfo.hasNextPage && <p class="muted">The first 200 entries are shown.</p>}
    </section>
  );
}

export function AdminPage({ me }: { me: Me }) {
  if (!me.isAdmin)
    return (
      <main>
        <p>Only an admin may manage tokens and read the audit log.</p>
      </main>
    );
  return (
    <main>
      <h1>Administration</h1>
      <Tokens />
      <Audit />
    </main>
  );
}
