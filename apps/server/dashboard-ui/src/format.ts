/** Number and time formatting for tables and tooltips. */
export function fmtNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

export function fmtValue(v: number | string | undefined): string {
  return typeof v === 'number' ? fmtNumber(v) : (v ?? '—');
}

/** "12 s ago", "3 min ago", … from seconds since the epoch. */
export function fmtAgo(seconds: number, now = Date.now() / 1000): string {
  const d = Math.max(0, now - seconds);
  if (d < 60) return `${Math.round(d)} s ago`;
  if (d < 3600) return `${Math.round(d / 60)} min ago`;
  if (d < 86400) return `${Math.round(d / 3600)} h ago`;
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

export function fmtTime(seconds: number | null): string {
  return seconds ? new Date(seconds * 1000).toLocaleString() : '—';
}
