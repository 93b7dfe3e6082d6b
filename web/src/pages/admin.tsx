import type { Me } from "../gql/schema";
import { Page, useQuery } from "../ui";

const QUERY = `query Audit { auditLog(first: 200) { edges { node { seq at actor role action targetCount summary } } pageInfo { hasNextPage } } }`;

interface Data {
  auditLog: { edges: { node: { seq: number; at: string; actor: string; role: string; action: string; targetCount: number; summary: string } }[]; pageInfo: { hasNextPage: boolean } };
}

export function AdminPage({ me }: { me: Me }) {
  const loaded = useQuery<Data>(me.isAdmin ? QUERY : null, {});
  if (!me.isAdmin)
    return (
      <main>
        <p>Only an admin may read the audit log.</p>
      </main>
    );
  return (
    <main>
      <h1>Audit log</h1>
      <p class="muted">
        Tokens are managed with <code>accountability token create | list | revoke</code>; the chain is verified with{" "}
        <code>accountability audit verify</code>.
      </p>
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
    </main>
  );
}
