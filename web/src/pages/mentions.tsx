// Cleared reviewers (prosecutors, admins): words in free text that may name a protected
// person, masked for everyone else until someone says whether they do. Accept: it is
// them, masked with the pseudonym everywhere; reject: it is not, shown everywhere.
import { useState } from "preact/hooks";
import { ApiError, gql } from "../api";
import type { Me, MentionToReview, NodeLabel } from "../gql/schema";
import { ErrorBox, Name, PERSON_FIELDS, type NodeRef, NodeLink, Page, href, useQuery } from "../ui";

const MENTIONS = `query Mentions { mentionsToReview(first: 200) { recordId recordKind field surface form personIds personsTotal } }`;
const PERSONS = `query Persons($ids: [ID!]!) { nodes(ids: $ids) { ... on Person { ${PERSON_FIELDS} pseudonym } } }`;

type Mention = Omit<MentionToReview, "__typename">;
type Candidate = NodeRef & { pseudonym?: string | null };

const NODE_KINDS: Record<string, NodeLabel> = {
  Person: "PERSON",
  Unit: "UNIT",
  Facility: "FACILITY",
  Incident: "INCIDENT",
  Evidence: "EVIDENCE",
  Case: "CASE",
};

function Record({ m }: { m: Mention }) {
  const label = NODE_KINDS[m.recordKind];
  if (label) return <a href={href({ label, id: m.recordId })}>{m.recordId}</a>;
  return (
    <span>
      claim {m.recordKind.toLowerCase()} <span class="id">{m.recordId}</span>
    </span>
  );
}

function Review({ mentions, onDecided }: { mentions: Mention[]; onDecided: (said: string) => void }) {
  const ids = [...new Set(mentions.flatMap((m) => m.personIds))].sort();
  const persons = useQuery<{ nodes: (Candidate | null)[] }>(ids.length ? PERSONS : null, { ids });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const byId = new Map<string, Candidate>();
  persons.data?.nodes.forEach((n) => n && byId.set(n.id, n));

  async function decide(m: Mention, personId: string, accept: boolean) {
    setBusy(true);
    try {
      await gql(`mutation Review($p: ID!, $form: String!, $accept: Boolean!) { reviewMention(personId: $p, form: $form, accept: $accept) }`, {
        p: personId,
        form: m.form,
        accept,
      });
      setError(null);
      const who = byId.get(personId);
      onDecided(
        accept
          ? `“${m.form}” names ${who ? (who.name ?? personId) : personId}: masked with the pseudonym everywhere.`
          : `“${m.form}” is not ${who ? (who.name ?? personId) : personId}: shown everywhere.`,
      );
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(String(e), "ERROR"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ErrorBox error={error ?? persons.error} />
      <table data-testid="mentions">
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">Field</th>
            <th scope="col">Words</th>
            <th scope="col">May name</th>
          </tr>
        </thead>
        <tbody>
          {mentions.map((m, i) => (
            <tr key={`${m.recordId}-${m.field}-${m.form}-${i}`} data-form={m.form}>
              <td>
                <Record m={m} />
              </td>
              <td>{m.field.replace(/_/g, " ")}</td>
              <td>
                <Name text={m.surface} />
              </td>
              <td>
                <ul class="candidates">
                  {m.personIds.map((p) => {
                    const who = byId.get(p);
                    const name = who?.name ?? p;
                    return (
                      <li key={p}>
                        <NodeLink node={who ?? { id: p, label: "PERSON" }} />
                        {who?.pseudonym && <span class="muted"> ({who.pseudonym})</span>}{" "}
                        <span class="noprint">
                          <button type="button" disabled={busy} aria-label={`Accept: “${m.form}” names ${name}`} onClick={() => void decide(m, p, true)}>
                            Accept
                          </button>{" "}
                          <button type="button" disabled={busy} aria-label={`Reject: “${m.form}” is not ${name}`} onClick={() => void decide(m, p, false)}>
                            Reject
                          </button>
                        </span>
                      </li>
                    );
                  })}
                  {m.personsTotal > m.personIds.length && (
                    <li class="muted">and {m.personsTotal - m.personIds.length} more protected persons</li>
                  )}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function MentionsPage({ me }: { me: Me }) {
  const loaded = useQuery<{ mentionsToReview: Mention[] }>(me.cleared ? MENTIONS : null);
  const [said, setSaid] = useState<string | null>(null);
  if (!me.cleared)
    return (
      <main>
        <h1>Mentions to review</h1>
        <p>Reviewing mentions of protected persons needs clearance (prosecutor or admin).</p>
      </main>
    );
  return (
    <main>
      <h1>Mentions to review</h1>
      <p>
        Words in free text that may name a protected person. Until you decide, they are withheld from everyone without
        clearance. <strong>Accept</strong>: the words name that person — masked with the pseudonym in every text.{" "}
        <strong>Reject</strong>: they do not — shown in every text. A verdict applies to the same words everywhere.
      </p>
      {said && (
        <p role="status" class="ok">
          {said}
        </p>
      )}
      <Page loaded={loaded}>
        {(d) =>
          d.mentionsToReview.length === 0 ? (
            <p class="muted">Nothing waits for review.</p>
          ) : (
            <Review
              mentions={d.mentionsToReview}
              onDecided={(s) => {
                setSaid(s);
                loaded.reload();
              }}
            />
          )
        }
      </Page>
    </main>
  );
}
