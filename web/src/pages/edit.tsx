// Editing a node's properties over updateNode: the form loads the node as it stands,
// sends only what changed (an emptied field removes the property), and shows the API's
// field-level problems next to the fields. Protection (a person's protected flag and
// pseudonym, an evidence item's classification) is offered only to cleared roles, and a
// protected person or evidence that is not public only to them, as the API allows.
import { useState } from "preact/hooks";
import { ApiError, gql } from "../api";
import {
  ClassificationValues,
  EvidenceKindValues,
  IncidentKindValues,
  type JsonValue,
  type Me,
  type NodeLabel,
  PersonStatusValues,
} from "../gql/schema";
import { ErrorBox, FieldErrors } from "../ui";

type Kind = "text" | "textarea" | "lines" | "int" | "float" | "date" | "select" | "checkbox";

interface FieldSpec {
  /** The property, snake_case, as updateNode takes it. */
  key: string;
  /** The GraphQL field it is read from. */
  gql: string;
  label: string;
  kind: Kind;
  options?: readonly string[];
  /** Changing it needs clearance. */
  protection?: boolean;
  required?: boolean;
}

const NAME: FieldSpec = { key: "name", gql: "name", label: "Name", kind: "text", required: true };
const ALIASES: FieldSpec = { key: "aliases", gql: "aliases", label: "Aliases (one a line)", kind: "lines" };
const KIND_TEXT: FieldSpec = { key: "kind", gql: "kind", label: "Kind", kind: "text" };

export const EDITABLE: Partial<Record<NodeLabel, { typename: string; fields: FieldSpec[] }>> = {
  PERSON: {
    typename: "Person",
    fields: [
      NAME,
      ALIASES,
      { key: "birth_year", gql: "birthYear", label: "Birth year", kind: "int" },
      { key: "gender", gql: "gender", label: "Gender", kind: "text" },
      { key: "nationality", gql: "nationality", label: "Nationality", kind: "text" },
      { key: "status", gql: "status", label: "Fate", kind: "select", options: PersonStatusValues },
      { key: "protected", gql: "protected", label: "Protected (shown by pseudonym to roles without clearance)", kind: "checkbox", protection: true },
      { key: "pseudonym", gql: "pseudonym", label: "Pseudonym", kind: "text", protection: true },
    ],
  },
  UNIT: {
    typename: "Unit",
    fields: [NAME, ALIASES, KIND_TEXT, { key: "parent_name_hint", gql: "parentNameHint", label: "Parent (as the source names it)", kind: "text" }],
  },
  FACILITY: {
    typename: "Facility",
    fields: [
      NAME,
      ALIASES,
      KIND_TEXT,
      { key: "location", gql: "location", label: "Location", kind: "text" },
      { key: "lat", gql: "lat", label: "Latitude", kind: "float" },
      { key: "lon", gql: "lon", label: "Longitude", kind: "float" },
    ],
  },
  INCIDENT: {
    typename: "Incident",
    fields: [
      { key: "kind", gql: "kind", label: "Kind", kind: "select", options: IncidentKindValues, required: true },
      { key: "title", gql: "title", label: "Title", kind: "text" },
      { key: "start_date", gql: "startDate", label: "Start date", kind: "date" },
      { key: "end_date", gql: "endDate", label: "End date", kind: "date" },
      { key: "description", gql: "description", label: "Description", kind: "textarea" },
    ],
  },
  EVIDENCE: {
    typename: "Evidence",
    fields: [
      { key: "kind", gql: "kind", label: "Kind", kind: "select", options: EvidenceKindValues, required: true },
      { key: "title", gql: "title", label: "Title", kind: "text", required: true },
      { key: "source", gql: "source", label: "Source", kind: "text" },
      { key: "acquired_at", gql: "acquiredAt", label: "Acquired at (ISO 8601, with a time zone)", kind: "text" },
      { key: "sha256", gql: "sha256", label: "SHA-256", kind: "text" },
      { key: "reliability", gql: "reliability", label: "Reliability (A–F)", kind: "select", options: ["A", "B", "C", "D", "E", "F"] },
      { key: "credibility", gql: "credibility", label: "Credibility (1–6)", kind: "int" },
      { key: "classification", gql: "classification", label: "Classification", kind: "select", options: ClassificationValues, protection: true, required: true },
    ],
  },
};

/** What the page knows of the node's protection, to decide what may be edited. */
export interface Protection {
  protected?: boolean;
  classification?: string;
}

/** The fields this role may change on this node, as the API allows (none: no form). */
export function editableFields(label: NodeLabel, me: Me, current: Protection): FieldSpec[] {
  const spec = EDITABLE[label];
  if (!spec) return [];
  const all = spec.fields;
  const plain = all.filter((f) => !f.protection);
  const protection = all.filter((f) => f.protection);
  // A protected person, or evidence that is not public: any change needs clearance.
  const guarded =
    (label === "PERSON" && current.protected === true) ||
    (label === "EVIDENCE" && (current.classification ?? "CONFIDENTIAL").toUpperCase() !== "PUBLIC");
  if (guarded) return me.cleared ? all : [];
  if (me.canWrite) return me.cleared ? all : plain;
  // A prosecutor does not write, but decides protection.
  return me.cleared ? protection : [];
}

type Values = Record<string, string | boolean>;

/** How the API shows a mention it is not sure of to a role without clearance. */
const WITHHELD = "[withheld]";

/** A text this role sees masked cannot be edited in place: what is saved is what is
 * typed, and the masked words would replace the real ones. */
function maskedForMe(me: Me, f: FieldSpec, v: string | boolean | undefined): boolean {
  return !me.cleared && typeof v === "string" && v.includes(WITHHELD) && f.kind !== "checkbox";
}

function asValue(f: FieldSpec, v: unknown): string | boolean {
  if (f.kind === "checkbox") return v === true;
  if (v == null) return "";
  if (Array.isArray(v)) return v.join("\n");
  return String(v);
}

/** The form's value as updateNode takes it: "" removes the property. */
function asProperty(f: FieldSpec, v: string | boolean): JsonValue {
  if (f.kind === "checkbox") return v === true;
  const s = String(v).trim();
  if (f.kind === "lines")
    return s
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
  if (s === "") return null;
  if (f.kind === "int" || f.kind === "float") {
    const n = Number(s);
    return Number.isFinite(n) ? n : s; // not a number: the API says so, next to the field
  }
  if (f.kind === "select" && f.key !== "reliability") return s.toLowerCase();
  return s;
}

function same(f: FieldSpec, a: string | boolean, b: string | boolean): boolean {
  if (f.kind === "checkbox") return a === b;
  return JSON.stringify(asProperty(f, a)) === JSON.stringify(asProperty(f, b));
}

export function EditNode({
  label,
  id,
  me,
  current,
  onSaved,
}: {
  label: NodeLabel;
  id: string;
  me: Me;
  current: Protection;
  onSaved: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [initial, setInitial] = useState<Values | null>(null);
  const [values, setValues] = useState<Values>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = editableFields(label, me, current);
  const spec = EDITABLE[label];
  if (!spec || fields.length === 0) return null;

  async function start() {
    setStatus(null);
    setError(null);
    setBusy(true);
    try {
      const d = await gql<{ node: Record<string, unknown> | null }>(
        `query EditNode($id: ID!) { node(id: $id) { __typename id ... on ${spec!.typename} { ${spec!.fields.map((f) => f.gql).join(" ")} } } }`,
        { id },
      );
      if (!d.node) throw new ApiError(`No node with id ${id}`, "NOT_FOUND");
      const loaded: Values = {};
      for (const f of spec!.fields) loaded[f.key] = asValue(f, d.node[f.gql]);
      setInitial(loaded);
      setValues(loaded);
      setOpen(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(String(e), "ERROR"));
    } finally {
      setBusy(false);
    }
  }

  async function save(e: Event) {
    e.preventDefault();
    if (!initial) return;
    const patch: Record<string, JsonValue> = {};
    for (const f of fields) {
      const v = values[f.key] ?? "";
      if (!same(f, v, initial[f.key] ?? "")) patch[f.key] = asProperty(f, v);
    }
    if (Object.keys(patch).length === 0) {
      setStatus("Nothing changed.");
      return;
    }
    setBusy(true);
    try {
      await gql(`mutation UpdateNode($id: ID!, $properties: JSON!) { updateNode(id: $id, properties: $properties) { id } }`, {
        id,
        properties: patch,
      });
      setError(null);
      setOpen(false);
      setStatus(`Saved: ${Object.keys(patch).sort().join(", ")}.`);
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(String(err), "ERROR"));
    } finally {
      setBusy(false);
    }
  }

  const set = (key: string, v: string | boolean) => setValues((s) => ({ ...s, [key]: v }));
  const input = (f: FieldSpec) => {
    const v = values[f.key] ?? "";
    const onInput = (ev: Event) => set(f.key, (ev.target as HTMLInputElement).value);
    if (maskedForMe(me, f, initial?.[f.key])) {
      return <textarea name={f.key} dir="auto" rows={2} value={String(v)} readOnly aria-describedby={`masked-${f.key}`} />;
    }
    switch (f.kind) {
      case "checkbox":
        return <input name={f.key} type="checkbox" checked={v === true} onChange={(ev) => set(f.key, (ev.target as HTMLInputElement).checked)} />;
      case "textarea":
        return <textarea name={f.key} dir="auto" rows={4} value={String(v)} onInput={onInput} />;
      case "lines":
        return <textarea name={f.key} dir="auto" rows={3} value={String(v)} onInput={onInput} />;
      case "select":
        return (
          <select name={f.key} value={String(v)} onChange={onInput}>
            {!f.required && <option value="">—</option>}
            {(f.options ?? []).map((o) => (
              <option key={o} value={o}>
                {o.toLowerCase().replace(/_/g, " ")}
              </option>
            ))}
          </select>
        );
      case "int":
      case "float":
        return <input name={f.key} type="number" step={f.kind === "int" ? 1 : "any"} value={String(v)} onInput={onInput} />;
      case "date":
        return <input name={f.key} type="date" value={String(v)} onInput={onInput} />;
      default:
        return <input name={f.key} type="text" dir="auto" required={f.required} value={String(v)} onInput={onInput} />;
    }
  };

  return (
    <section class="noprint edit" data-testid="edit-node">
      {!open ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void start()}>
            Edit
          </button>{" "}
          {status && (
            <span role="status" class="ok">
              {status}
            </span>
          )}
        </p>
      ) : (
        <form class="card" onSubmit={save}>
          <h2>Edit {id}</h2>
          {!me.cleared && (
            <p class="muted">
              Names of protected persons reach you masked (by pseudonym, or {WITHHELD}): a field you change is saved
              as you typed it.
            </p>
          )}
          {fields.length < spec.fields.length && (
            <p class="muted">
              {fields.every((f) => f.protection)
                ? "Your role decides protection only."
                : "Protection is changed by prosecutors and admins."}
            </p>
          )}
          {fields.map((f) => (
            <div key={f.key}>
              <label>
                {f.kind === "checkbox" ? (
                  <>
                    {input(f)} {f.label}
                  </>
                ) : (
                  <>
                    {f.label} {input(f)}
                  </>
                )}
              </label>
              {maskedForMe(me, f, initial?.[f.key]) && (
                <span class="muted" id={`masked-${f.key}`}>
                  Part of this text is withheld from your role: a prosecutor or admin can change it.
                </span>
              )}
              <FieldErrors error={error} field={f.key} />
            </div>
          ))}
          <button type="submit" disabled={busy}>
            Save
          </button>{" "}
          <button type="button" onClick={() => (setOpen(false), setError(null))}>
            Cancel
          </button>
          {status && <p role="status">{status}</p>}
          <ErrorBox error={error} />
        </form>
      )}
      {!open && <ErrorBox error={error} />}
    </section>
  );
}
