// Periods over time as horizontal bars (roles of a person, what happened at a facility).
// An unknown start or end runs to the chart's edge and is drawn faded.

export interface Span {
  key: string;
  label: string;
  start: string | null;
  end: string | null;
  approx?: boolean;
  title: string;
}

function year(d: string): number {
  const [y, m] = d.split("-");
  return Number(y) + (Number(m ?? "1") - 1) / 12;
}

export function Gantt({ spans, label, empty }: { spans: Span[]; label: string; empty: string }) {
  const known = spans.flatMap((s) => [s.start, s.end]).filter((d): d is string => d !== null).map(year);
  if (spans.length === 0 || known.length === 0) return <p class="muted">{empty}</p>;
  const lo = Math.floor(Math.min(...known));
  const hi = Math.max(Math.ceil(Math.max(...known)), lo + 1);
  const width = 900;
  const labelW = 300;
  const rowH = 22;
  const x = (y: number) => labelW + ((y - lo) / (hi - lo)) * (width - labelW - 10);
  const years: number[] = [];
  const step = Math.max(1, Math.ceil((hi - lo) / 15));
  for (let y = lo; y <= hi; y += step) years.push(y);
  return (
    <svg class="timeline" viewBox={`0 0 ${width} ${spans.length * rowH + 24}`} role="img" aria-label={label}>
      {years.map((y) => (
        <g key={y}>
          <line x1={x(y)} x2={x(y)} y1={0} y2={spans.length * rowH} class="grid" />
          <text x={x(y)} y={spans.length * rowH + 16} class="tick" text-anchor="middle">
            {y}
          </text>
        </g>
      ))}
      {spans.map((s, i) => {
        const a = s.start ? year(s.start) : lo;
        const b = s.end ? year(s.end) : hi;
        const open = !s.start || !s.end;
        return (
          <g key={s.key}>
            <text x={4} y={i * rowH + 15} class="rowlabel">
              {s.label.length > 48 ? `${s.label.slice(0, 47)}…` : s.label}
            </text>
            <rect
              x={x(a)}
              y={i * rowH + 4}
              width={Math.max(x(b) - x(a), 3)}
              height={rowH - 8}
              class={`bar${open ? " open" : ""}${s.approx ? " approx" : ""}`}
            >
              <title>{s.title}</title>
            </rect>
          </g>
        );
      })}
    </svg>
  );
}
