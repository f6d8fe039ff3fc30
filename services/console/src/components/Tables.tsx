import type { ReactNode } from 'react';

/** The row a table shows when it has none. */
export function EmptyRow({ cols, children }: { cols: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={cols} className="muted">
        {children}
      </td>
    </tr>
  );
}

/** Counts per status (devices, SIMs) as a two-column table. */
export function StatusCounts({ counts, testId, empty }: { counts: Record<string, number> | null | undefined; testId?: string; empty: string }) {
  const rows = Object.entries(counts ?? {});
  return (
    <table data-testid={testId}>
      <tbody>
        {rows.length === 0 && <EmptyRow cols={2}>{empty}</EmptyRow>}
        {rows.map(([status, n]) => (
          <tr key={status}>
            <td>
              <span className={`status ${status}`}>{status}</span>
            </td>
            <td className="num">{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
