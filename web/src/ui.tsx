// Shared pieces: data loading, links to nodes, names in any script, dates, badges.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, gql } from "./api";
import type { Certainty, Confidence, NodeLabel } from "./gql/schema";
import { BASE } from "./router";

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

export function useQuery<T>(query: string | null, variables: Record<string, unknown> = {}): Loaded<T> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (query === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    gql<T>(query, variables).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        live &&
        setState({
          data: null,
          error: error instanceof ApiError ? error : new ApiError(String(error), "ERROR"),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
  }, [query, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** The fields every node link needs, whatever its label. */
export const NODE_FIELDS = `
  __typename id label
  ... on Person { name protected }
  ... on Unit { name }
  ... on Facility { name }
  ... on Incident { incidentTitle: title startDate }
  ... on Evidence { title classification }
  ... on Case { title }`;

/** The same, on a field typed Person. */
export const PERSON_FIELDS = `__typename id label name protected`;
/** The same, on a field typed Incident. */
export const INCIDENT_FIELDS = `__typename id label incidentTitle: title startDate`;

export interface NodeRef {
  __typename?: string;
  id: string;
  label: NodeLabel;
  name?: string;
  title?: string | null;
  protected?: boolean;
  incidentTitle?: string | null;
  startDate?: string | null;
  classification?: string;
}

export const ROUTE: Record<NodeLabel, string> = {
  PERSON: "person",
  UNIT: "unit",
  FACILITY: "facility",
  INCIDENT: "incident",
  EVIDENCE: "evidence",
  CASE: "case",
};

export const LABEL_NAME: Record<NodeLabel, string> = {
  PERSON: "Persons",
  UNIT: "Units",
  FACILITY: "Facilities",
  INCIDENT: "Incidents",
  EVIDENCE: "Evidence",
  CASE: "Case files",
};

export function nodeName(n: NodeRef): string {
  return n.name ?? n.title ?? n.incidentTitle ?? n.id;
}

export function href(n: { label: NodeLabel; id: string }): string {
  return `${BASE}${ROUTE[n.label]}/${encodeURIComponent(n.id)}`;
}

/** A name in any script: <bdi> isolates right-to-left text inside a left-to-right line. */
export function Name({ text }: { text: string }) {
  return <bdi dir="auto">{text}</bdi>;
}

export function NodeLink({ node }: { node: NodeRef | null | undefined }) {
  if (!node) return <span class="muted">(withheld)</span>;
  return (
    <a href={href(node)} class={`node node-${node.label.toLowerCase()}`}>
      <Name text={nodeName(node)} />
    </a>
  );
}

export function Dates({ from, to }: { from?: string | null; to?: string | null }) {
  if (!from && !to) return <span class="muted">undated</span>;
  return (
    <span class="dates">
      <time>{from ?? "?"}</time>
      {" – "}
      <time>{to ?? "open"}</time>
    </span>
  );
}

export function CertaintyBadge({ value }: { value: Certainty }) {
  return <span class={`badge certainty-${value.toLowerCase()}`}>{value.toLowerCase()}</span>;
}

export function ConfidenceBadge({ value }: { value: Confidence }) {
  return <span class={`badge confidence-${value.toLowerCase()}`}>{value.toLowerCase()}</span>;
}

export function ErrorBox({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error.message} <span class="muted">({error.code})</span>
    </p>
  );
}

export function Page<T>({
  loaded,
  children,
}: {
  loaded: Loaded<T>;
  children: (data: T) => ComponentChildren;
}) {
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!loaded.data) return <p aria-busy="true">Loading…</p>;
  return <>{children(loaded.data)}</>;
}

/** Field-level errors from the API, under the field they are about. */
export function FieldErrors({ error, field }: { error: ApiError | null; field: string }) {
  const messages = error?.about(field) ?? [];
  if (messages.length === 0) return null;
  return (
    <span class="field-error" role="alert" data-field={field}>
      {messages.join("; ")}
    </span>
  );
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
