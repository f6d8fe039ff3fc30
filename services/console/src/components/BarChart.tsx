/** A small hand-rolled SVG bar chart: one bar per value, a label under every few bars, an optional marker line. */
export interface Bar {
  value: number;
  label: string;
  tone: 'past' | 'future';
}

export function BarChart({ bars, title, markerAfter, markerLabel, height = 160 }: { bars: Bar[]; title: string; markerAfter?: number; markerLabel?: string; height?: number }) {
  const width = 720;
  const pad = { left: 36, right: 8, top: 12, bottom: 28 };
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (width - pad.left - pad.right) / Math.max(1, bars.length);
  const plotH = height - pad.top - pad.bottom;
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  const every = Math.max(1, Math.ceil(bars.length / 12));
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      <title>{title}</title>
      <line x1={pad.left} y1={y(0)} x2={width - pad.right} y2={y(0)} className="axis" />
      <text x={pad.left - 6} y={y(max) + 4} className="tick" textAnchor="end">
        {max}
      </text>
      <text x={pad.left - 6} y={y(0) + 4} className="tick" textAnchor="end">
        0
      </text>
      {bars.map((b, i) => (
        <g key={i}>
          <rect x={pad.left + i * slot + 1} y={y(b.value)} width={Math.max(1, slot - 2)} height={y(0) - y(b.value)} className={`bar ${b.tone}`}>
            <title>{`${b.label}: ${b.value}`}</title>
          </rect>
          {i % every === 0 && (
            <text x={pad.left + i * slot + slot / 2} y={height - 10} className="tick" textAnchor="middle">
              {b.label}
            </text>
          )}
        </g>
      ))}
      {markerAfter !== undefined && (
        <g>
          <line x1={pad.left + markerAfter * slot} y1={pad.top - 4} x2={pad.left + markerAfter * slot} y2={y(0)} className="marker" />
          <text x={pad.left + markerAfter * slot + 4} y={pad.top + 6} className="tick">
            {markerLabel}
          </text>
        </g>
      )}
    </svg>
  );
}
