// The local query console GET /graphql shows in a browser (in place of GraphiQL's stock
// page, which loads React and GraphiQL from a public CDN). Plain DOM, no framework.
import "./styles.css";

const TOKEN_KEY = "accountability.token";
const example = `{
  me { name role }
  persons(filter: {search: "tahhan"}, first: 5) {
    totalCount
    edges { node { id name aliases } }
  }
}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ""): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

const root = document.getElementById("console")!;
root.className = "console";
const title = el("h1", {}, "GraphQL query console");
const note = el("p", { class: "muted" });
note.append(
  "A stand-in for GraphiQL served by this service (nothing is loaded from elsewhere). The schema is in ",
  Object.assign(el("code", {}, "schema/schema.graphql")),
  "; the workbench is at ",
  Object.assign(el("a", { href: "/app/" }, "/app/")),
  ".",
);
const tokenLabel = el("label", { for: "token" }, "Token");
const token = el("input", { id: "token", type: "password", autocomplete: "off" });
token.value = sessionStorage.getItem(TOKEN_KEY) ?? "";
const queryLabel = el("label", { for: "query" }, "Query");
const query = el("textarea", { id: "query", rows: "16", spellcheck: "false" });
query.value = localStorage.getItem("accountability.console.query") ?? example;
const varsLabel = el("label", { for: "variables" }, "Variables (JSON)");
const vars = el("textarea", { id: "variables", rows: "4", spellcheck: "false" });
vars.value = "{}";
const run = el("button", { type: "submit" }, "Run");
const out = el("pre", { id: "result", "aria-live": "polite" });
const form = el("form");
form.append(tokenLabel, token, queryLabel, query, varsLabel, vars, run);
root.append(title, note, form, out);

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, token.value.trim());
  localStorage.setItem("accountability.console.query", query.value);
  let variables: unknown;
  try {
    variables = JSON.parse(vars.value || "{}");
  } catch {
    out.textContent = "Variables are not valid JSON.";
    return;
  }
  out.textContent = "…";
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token.value.trim()}` },
    body: JSON.stringify({ query: query.value, variables }),
  });
  const text = await response.text();
  try {
    out.textContent = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    out.textContent = `HTTP ${response.status}\n${text}`;
  }
});
