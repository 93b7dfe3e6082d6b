import type { Me } from "../gql/schema";
import { Name, Page, today, useQuery } from "../ui";
import { DatePicker, ENTRY, type Entry, EntryList } from "./charts";
import { EditNode } from "./edit";

const QUERY = `query Chart($id: ID!, $at: Date!) {
  unit(id: $id) { id name aliases kind }
  commandChart(unitId: $id, at: $at) {
    at
    commanders { ${ENTRY} }
    parents { ${ENTRY} commanders { ${ENTRY} } }
    children { ${ENTRY} commanders { ${ENTRY} } }
    facilities { ${ENTRY} }
  }
}`;

interface ChartUnit extends Entry {
  commanders: Entry[];
}
interface Data {
  unit: { id: string; name: string; aliases: string[]; kind: string | null } | null;
  commandChart: { at: string; commanders: Entry[]; parents: ChartUnit[]; children: ChartUnit[]; facilities: Entry[] };
}

function Units({ units, empty }: { units: ChartUnit[]; empty: string }) {
  if (units.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ul class="entries">
      {units.map((u) => (
        <li key={u.claim.id}>
          <EntryList entries={[u]} empty="" />
          <div class="nested">
            <EntryList entries={u.commanders} empty="No commander recorded at this date." />
          </div>
        </li>
      ))}
    </ul>
  );
}

export function UnitPage({ id, at, me }: { id: string; at: string | null; me: Me }) {
  const date = at ?? today();
  const loaded = useQuery<Data>(QUERY, { id, at: date });
  return (
    <main>
      <Page loaded={loaded}>
        {(d) =>
          !d.unit ? (
            <p>No unit with id {id}.</p>
          ) : (
            <>
              <h1>
                <Name text={d.unit.name} /> <span class="muted id">{d.unit.id}</span>
              </h1>
              <EditNode label="UNIT" id={d.unit.id} me={me} current={{}} onSaved={loaded.reload} />
              {d.unit.aliases.length > 0 && (
                <p>
                  {d.unit.aliases.map((a, i) => (
                    <span key={i} class="alias">
                      <Name text={a} />
                    </span>
                  ))}
                </p>
              )}
              <h2>
                Command chart at <time data-testid="chart-date">{d.commandChart.at}</time>
              </h2>
              <DatePicker at={date} path={`unit/${encodeURIComponent(id)}`} />
              <div class="chart" data-testid="command-chart">
                <section>
                  <h3>Parent units</h3>
                  <Units units={d.commandChart.parents} empty="No parent unit at this date." />
                </section>
                <section class="this-unit">
                  <h3>Commanders</h3>
                  <EntryList entries={d.commandChart.commanders} empty="No commander recorded at this date." />
                </section>
                <section>
                  <h3>Subordinate units</h3>
                  <Units units={d.commandChart.children} empty="No subordinate unit at this date." />
                </section>
                <section>
                  <h3>Facilities operated</h3>
                  <EntryList entries={d.commandChart.facilities} empty="No facility at this date." />
                </section>
              </div>
            </>
          )
        }
      </Page>
    </main>
  );
}
