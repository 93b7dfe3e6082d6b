import { Gantt } from "../gantt";
import type { Me } from "../gql/schema";
import { Dates, Name, NODE_FIELDS, type NodeRef, NodeLink, Page, nodeName, today, useQuery } from "../ui";
import { DatePicker, ENTRY, type Entry, EntryList } from "./charts";
import { EditNode } from "./edit";

const QUERY = `query Facility($id: ID!, $at: Date!, $to: Date!) {
  facility(id: $id) { id name aliases kind location }
  facilityChart(facilityId: $id, at: $at) {
    at
    operators { ${ENTRY} commanders { ${ENTRY} } }
    commandPosts { ${ENTRY} }
    posts { ${ENTRY} }
  }
  facilityTimeline(facilityId: $id, from: "1970-01-01", to: $to) {
    events { kind start end node { ${NODE_FIELDS} } claim { id } }
    detentionsByYear { year detained undated }
  }
}`;

interface Data {
  facility: { id: string; name: string; aliases: string[]; kind: string | null; location: string | null } | null;
  facilityChart: { at: string; operators: (Entry & { commanders: Entry[] })[]; commandPosts: Entry[]; posts: Entry[] };
  facilityTimeline: {
    events: { kind: string; start: string | null; end: string | null; node: NodeRef | null; claim: { id: string } }[];
    detentionsByYear: { year: number; detained: number; undated: number }[];
  };
}

function Counts({ rows: all }: { rows: Data["facilityTimeline"]["detentionsByYear"] }) {
  // From the first to the last year with a dated detention (undated records count in
  // every year they may belong to, back to the start of the range asked for).
  const first = all.findIndex((r) => r.detained > 0);
  const last = all.length - 1 - [...all].reverse().findIndex((r) => r.detained > 0);
  const rows = first < 0 ? [] : all.slice(first, last + 1);
  if (rows.length === 0) return <p class="muted">No dated detention records.</p>;
  const max = Math.max(...rows.map((r) => r.detained + r.undated), 1);
  const w = 40;
  const h = 120;
  const top = 14; // room for the tallest bar's count
  return (
    <svg class="bars" viewBox={`0 -${top} ${rows.length * w + 10} ${h + 30 + top}`} role="img" aria-label="Detentions by year">
      {rows.map((r, i) => {
        const dh = (r.detained / max) * h;
        const uh = (r.undated / max) * h;
        return (
          <g key={r.year}>
            <rect x={i * w + 8} y={h - dh} width={w - 12} height={dh} class="bar">
              <title>{`${r.year}: ${r.detained} detained, ${r.undated} undated`}</title>
            </rect>
            <rect x={i * w + 8} y={h - dh - uh} width={w - 12} height={uh} class="bar open" />
            <text x={i * w + 8 + (w - 12) / 2} y={h + 14} text-anchor="middle" class="tick">
              {r.year}
            </text>
            <text x={i * w + 8 + (w - 12) / 2} y={h - dh - uh - 3} text-anchor="middle" class="tick">
              {r.detained}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function FacilityPage({ id, at, me }: { id: string; at: string | null; me: Me }) {
  const date = at ?? today();
  const loaded = useQuery<Data>(QUERY, { id, at: date, to: today() });
  return (
    <main>
      <Page loaded={loaded}>
        {(d) =>
          !d.facility ? (
            <p>No facility with id {id}.</p>
          ) : (
            <>
              <h1>
                <Name text={d.facility.name} /> <span class="muted id">{d.facility.id}</span>
              </h1>
              <EditNode label="FACILITY" id={d.facility.id} me={me} current={{}} onSaved={loaded.reload} />
              <p>
                {[d.facility.kind, d.facility.location].filter(Boolean).join(", ")}{" "}
                {d.facility.aliases.map((a, i) => (
                  <span key={i} class="alias">
                    <Name text={a} />
                  </span>
                ))}
              </p>
              <h2>
                At <time data-testid="chart-date">{d.facilityChart.at}</time>
              </h2>
              <DatePicker at={date} path={`facility/${encodeURIComponent(id)}`} />
              <div class="chart">
                <section>
                  <h3>Operated by</h3>
                  <ul class="entries">
                    {d.facilityChart.operators.map((o) => (
                      <li key={o.claim.id}>
                        <EntryList entries={[o]} empty="" />
                        <div class="nested">
                          <EntryList entries={o.commanders} empty="No commander recorded at this date." />
                        </div>
                      </li>
                    ))}
                    {d.facilityChart.operators.length === 0 && <li class="muted">No operator at this date.</li>}
                  </ul>
                </section>
                <section>
                  <h3>Command posts</h3>
                  <EntryList entries={d.facilityChart.commandPosts} empty="None at this date." />
                </section>
                <section>
                  <h3>Posted here</h3>
                  <EntryList entries={d.facilityChart.posts} empty="Nobody recorded at this date." />
                </section>
              </div>
              <h2>Detentions by year</h2>
              <Counts rows={d.facilityTimeline.detentionsByYear} />
              <h2>Timeline</h2>
              <Gantt
                label="Operators, command posts and posts over time"
                empty="No dated operator or post."
                spans={d.facilityTimeline.events
                  .filter((e) => e.kind !== "DETENTION" && e.kind !== "INCIDENT")
                  .map((e) => ({
                    key: e.claim.id,
                    label: `${e.kind.toLowerCase().replace(/_/g, " ")}: ${e.node ? nodeName(e.node) : "(withheld)"}`,
                    start: e.start,
                    end: e.end,
                    title: `${e.kind} ${e.start ?? "?"} – ${e.end ?? "open"}`,
                  }))}
              />
              <ul class="entries">
                {d.facilityTimeline.events.map((e) => (
                  <li key={e.claim.id}>
                    <Dates from={e.start} to={e.end} /> {e.kind.toLowerCase().replace(/_/g, " ")}: <NodeLink node={e.node} />
                  </li>
                ))}
              </ul>
            </>
          )
        }
      </Page>
    </main>
  );
}
