// A date chosen with a date field and a slider, kept in the address (?at=).
import type { Certainty, Confidence } from "../gql/schema";
import { navigate } from "../router";
import { CertaintyBadge, ConfidenceBadge, Dates, NODE_FIELDS, type NodeRef, NodeLink } from "../ui";

export const ENTRY = `certainty node { ${NODE_FIELDS} } claim { id type validFrom validTo confidence } evidence { id }`;

export interface Entry {
  certainty: Certainty;
  node: NodeRef | null;
  claim: { id: string; type: string; validFrom: string | null; validTo: string | null; confidence: Confidence };
  evidence: { id: string }[];
}

const FIRST_YEAR = 2000;
const monthsSince = (d: string) => {
  const [y, m] = d.split("-").map(Number);
  return ((y ?? FIRST_YEAR) - FIRST_YEAR) * 12 + ((m ?? 1) - 1);
};
const fromMonths = (n: number) => `${FIRST_YEAR + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}-01`;

export function DatePicker({ at, path }: { at: string; path: string }) {
  const max = (new Date().getFullYear() - FIRST_YEAR + 1) * 12 - 1;
  const go = (d: string) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(d)) navigate(`${path}?at=${d}`, true);
  };
  return (
    <form class="datepicker noprint" onSubmit={(e) => e.preventDefault()}>
      <label>
        At <input type="date" name="at" value={at} onChange={(e) => go((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        <span class="visually-hidden">Date slider</span>
        <input
          type="range"
          name="slider"
          min={0}
          max={max}
          value={monthsSince(at)}
          aria-valuetext={at}
          onChange={(e) => go(fromMonths(Number((e.target as HTMLInputElement).value)))}
        />
      </label>
    </form>
  );
}

export function EntryList({ entries, empty }: { entries: Entry[]; empty: string }) {
  if (entries.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ul class="entries">
      {entries.map((e) => (
        <li key={e.claim.id}>
          <NodeLink node={e.node} /> <span class="muted">{e.claim.type.toLowerCase()}</span>{" "}
          <Dates from={e.claim.validFrom} to={e.claim.validTo} /> <CertaintyBadge value={e.certainty} />{" "}
          <ConfidenceBadge value={e.claim.confidence} /> <span class="muted">{e.evidence.length} evidence</span>
        </li>
      ))}
    </ul>
  );
}
