import { useEffect, useState } from "preact/hooks";
import { ApiError, gql } from "../api";
import { type NodeLabel, NodeLabelValues, type PageInfo } from "../gql/schema";
import { ErrorBox, LABEL_NAME, NODE_FIELDS, type NodeRef, NodeLink } from "../ui";

const PAGE = 10;

interface Group {
  totalCount: number;
  edges: { node: NodeRef }[];
  pageInfo: PageInfo;
}

const ONE = `query SearchOne($label: NodeLabel!, $q: String!, $first: Int!, $after: String) {
  search(label: $label, filter: {search: $q}, first: $first, after: $after) {
    totalCount edges { node { ${NODE_FIELDS} } } pageInfo { hasNextPage endCursor }
  }
}`;

// Every label in one request, one alias a label.
const ALL = `query SearchAll($q: String!, $first: Int!) {
  ${NodeLabelValues.map(
    (l) => `${l}: search(label: ${l}, filter: {search: $q}, first: $first) {
      totalCount edges { node { ${NODE_FIELDS} } } pageInfo { hasNextPage endCursor } }`,
  ).join("\n")}
}`;

export function SearchPage({ q }: { q: string }) {
  const [groups, setGroups] = useState<Partial<Record<NodeLabel, Group>> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setGroups(null);
    setError(null);
    if (!q.trim()) return;
    gql<Record<NodeLabel, Group>>(ALL, { q, first: PAGE }).then(setGroups, (e: ApiError) => setError(e));
  }, [q]);

  async function more(label: NodeLabel) {
    const group = groups?.[label];
    if (!group) return;
    try {
      const data = await gql<{ search: Group }>(ONE, { label, q, first: PAGE, after: group.pageInfo.endCursor });
      setGroups({
        ...groups,
        [label]: { ...data.search, edges: [...group.edges, ...data.search.edges] },
      });
    } catch (e) {
      setError(e as ApiError);
    }
  }

  if (!q.trim())
    return (
      <main>
        <h1>Search</h1>
        <p>Type a name or a title, in Latin or Arabic script, in the box above.</p>
      </main>
    );
  const found = groups ? NodeLabelValues.filter((l) => (groups[l]?.totalCount ?? 0) > 0) : [];
  return (
    <main>
      <h1>
        Search: <bdi dir="auto">{q}</bdi>
      </h1>
      <ErrorBox error={error} />
      {!groups && !error && <p aria-busy="true">Searching…</p>}
      {groups && found.length === 0 && <p>Nothing found.</p>}
      {found.map((label) => {
        const g = groups![label]!;
        return (
          <section class="results" data-label={label} key={label}>
            <h2>
              {LABEL_NAME[label]} <span class="count">({g.totalCount})</span>
            </h2>
            <ul>
              {g.edges.map(({ node }) => (
                <li key={node.id}>
                  <NodeLink node={node} /> <span class="muted id">{node.id}</span>
                  {node.startDate && <time class="muted"> {node.startDate}</time>}
                </li>
              ))}
            </ul>
            {g.pageInfo.hasNextPage && (
              <button type="button" onClick={() => void more(label)}>
                More {LABEL_NAME[label].toLowerCase()} ({g.totalCount - g.edges.length} more)
              </button>
            )}
          </section>
        );
      })}
    </main>
  );
}
