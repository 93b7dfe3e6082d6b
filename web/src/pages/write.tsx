// Investigators' writes: create a node, add a claim with evidence. The API's field-level
// problems are shown next to the fields they are about.
import { useState } from "preact/hooks";
import { ApiError, gql } from "../api";
import {
  type ClaimType,
  ClaimTypeValues,
  type Confidence,
  ConfidenceValues,
  type DatePrecision,
  DatePrecisionValues,
  type JsonValue,
  type Me,
  type NodeLabel,
  NodeLabelValues,
} from "../gql/schema";
import { ErrorBox, FieldErrors, href } from "../ui";

const MAIN_FIELD: Record<NodeLabel, string> = {
  PERSON: "name",
  UNIT: "name",
  FACILITY: "name",
  INCIDENT: "title",
  EVIDENCE: "title",
  CASE: "title",
};

function value(e: Event): string {
  return (e.target as HTMLInputElement).value;
}

function CreateNode() {
  const [label, setLabel] = useState<NodeLabel>("PERSON");
  const [id, setId] = useState("");
  const [main, setMain] = useState("");
  const [extra, setExtra] = useState("{}");
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<{ id: string; label: NodeLabel } | null>(null);
  async function submit(e: Event) {
    e.preventDefault();
    setCreated(null);
    let properties: Record<string, JsonValue>;
    try {
      properties = JSON.parse(extra || "{}") as Record<string, JsonValue>;
    } catch {
      setError(new ApiError("Other properties must be a JSON object", "BAD_USER_INPUT", [{ where: "properties", message: "not valid JSON" }]));
      return;
    }
    if (main) properties[MAIN_FIELD[label]] = main;
    try {
      const d = await gql<{ createNode: { id: string; label: NodeLabel } }>(
        `mutation Create($label: NodeLabel!, $properties: JSON!, $id: ID) { createNode(label: $label, properties: $properties, id: $id) { id label } }`,
        { label, properties, id: id || null },
      );
      setError(null);
      setCreated(d.createNode);
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <form class="card" onSubmit={submit} data-testid="create-node">
      <h2>Create a node</h2>
      <label>
        Label{" "}
        <select name="label" value={label} onChange={(e) => setLabel(value(e) as NodeLabel)}>
          {NodeLabelValues.map((l) => (
            <option key={l} value={l}>
              {l.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label>
        Id (optional) <input name="id" value={id} onInput={(e) => setId(value(e))} />
      </label>
      <FieldErrors error={error} field="id" />
      <label>
        {MAIN_FIELD[label] === "name" ? "Name" : "Title"} <input name="main" dir="auto" value={main} onInput={(e) => setMain(value(e))} />
      </label>
      <FieldErrors error={error} field={MAIN_FIELD[label]} />
      <label>
        Other properties (JSON, snake_case){" "}
        <textarea name="properties" rows={4} value={extra} onInput={(e) => setExtra(value(e))} />
      </label>
      <FieldErrors error={error} field="properties" />
      <button type="submit">Create</button>
      {created && (
        <p role="status">
          Created <a href={href(created)}>{created.id}</a>.
        </p>
      )}
      <ErrorBox error={error} />
    </form>
  );
}

function AddClaim() {
  const [type, setType] = useState<ClaimType>("MEMBER_OF");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [validFrom, setValidFrom] = useState("");
  const [validTo, setValidTo] = useState("");
  const [precision, setPrecision] = useState<DatePrecision>("EXACT");
  const [confidence, setConfidence] = useState<Confidence>("MEDIUM");
  const [evidence, setEvidence] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  async function submit(e: Event) {
    e.preventDefault();
    setCreated(null);
    try {
      const d = await gql<{ addClaim: { id: string } }>(`mutation Add($input: ClaimInput!) { addClaim(input: $input) { id } }`, {
        input: {
          type,
          from,
          to,
          validFrom: validFrom || null,
          validTo: validTo || null,
          datePrecision: precision,
          confidence,
          evidence: evidence.split(/[\s,]+/).filter(Boolean),
        },
      });
      setError(null);
      setCreated(d.addClaim.id);
    } catch (err) {
      setError(err as ApiError);
    }
  }
  const field = (name: string, label: string, v: string, set: (s: string) => void, type: "text" | "date" = "text") => (
    <>
      <label>
        {label}{" "}
        {type === "date" ? (
          <input name={name} type="date" value={v} onInput={(e) => set(value(e))} />
        ) : (
          <input name={name} type="text" value={v} onInput={(e) => set(value(e))} />
        )}
      </label>
      <FieldErrors error={error} field={name} />
    </>
  );
  return (
    <form class="card" onSubmit={submit} data-testid="add-claim">
      <h2>Add a claim</h2>
      <label>
        Type{" "}
        <select name="type" value={type} onChange={(e) => setType(value(e) as ClaimType)}>
          {ClaimTypeValues.map((t) => (
            <option key={t} value={t}>
              {t.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <FieldErrors error={error} field="type" />
      {field("from", "From (id)", from, setFrom)}
      {field("to", "To (id)", to, setTo)}
      {field("validFrom", "Valid from", validFrom, setValidFrom, "date")}
      {field("validTo", "Valid to", validTo, setValidTo, "date")}
      <label>
        Date precision{" "}
        <select name="datePrecision" value={precision} onChange={(e) => setPrecision(value(e) as DatePrecision)}>
          {DatePrecisionValues.map((t) => (
            <option key={t} value={t}>
              {t.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label>
        Confidence{" "}
        <select name="confidence" value={confidence} onChange={(e) => setConfidence(value(e) as Confidence)}>
          {ConfidenceValues.map((t) => (
            <option key={t} value={t}>
              {t.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      {field("evidence", "Evidence ids (space or comma separated)", evidence, setEvidence)}
      <button type="submit">Add claim</button>
      {created && <p role="status">Claim {created} added. Retract it from either end's page.</p>}
      <ErrorBox error={error} />
    </form>
  );
}

export function WritePage({ me }: { me: Me }) {
  if (!me.canWrite)
    return (
      <main>
        <p>The {me.role.toLowerCase()} role cannot change the graph.</p>
      </main>
    );
  return (
    <main>
      <h1>New entry</h1>
      <p>Every claim needs evidence. To correct a claim, retract it (with a reason) and add the right one.</p>
      <div class="columns">
        <CreateNode />
        <AddClaim />
      </div>
    </main>
  );
}
