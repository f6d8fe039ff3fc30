/** A small hand-rolled SVG line chart of (time, value) points on a fixed value range. */
export interface Point {
  at: string;
  value: number;
}

export function LineChart({ points, title, min = 0, max = 100, height = 180 }: { points: Point[]; title: string; min?: number; max?: number; height?: number }) {
  const width = 720;
  const pad = { left: 36, right: 12, top: 12, bottom: 28 };
  const times = points.map((p) => new Date(p.at).getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const span = t1 - t0 || 1;
  const x = (t: number) => (points.length === 1 ? (pad.left + width - pad.right) / 2 : pad.left + ((t - t0) / span) * (width - pad.left - pad.right));
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * (1 - (Math.min(max, Math.max(min, v)) - min) / (max - min || 1));
  // Minutes apart or less: show the seconds too.
  const label = (t: number) => new Date(t).toISOString().slice(span < 3600_000 ? 11 : 5, span < 3600_000 ? 19 : 16).replace('T', ' ');
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(times[i]).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      <title>{title}</title>
      {[min, (min + max) / 2, max].map((v) => (
        <g key={v}>
          <line x1={pad.left} y1={y(v)} x2={width - pad.right} y2={y(v)} className="grid" />
          <text x={pad.left - 6} y={y(v) + 4} className="tick" textAnchor="end">
            {v}
          </text>
        </g>
      ))}
      {points.length > 0 && <path d={path} className="line" />}
      {points.map((p, i) => (
        <circle key={i} cx={x(times[i])} cy={y(p.value)} r={3.5} className="dot">
          <title>{`${p.at}: ${p.value}`}</title>
        </circle>
      ))}
      {points.length > 0 && (
        <>
          <text x={pad.left} y={height - 8} className="tick">
            {label(t0)}
          </text>
          <text x={width - pad.right} y={height - 8} className="tick" textAnchor="end">
            {label(t1)}
          </text>
        </>
      )}
    </svg>
  );
}
