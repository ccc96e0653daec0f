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

/** ISO-8601 in UTC to the second: 2026-12-03T17:02:11Z. */
export function isoTime(seconds: number): string {
  return new Date(Math.round(seconds) * 1000).toISOString().replace('.000Z', 'Z');
}

export function fmtTime(seconds: number | null): string {
  return seconds ? isoTime(seconds) : '—';
}

/** 42 s, 3 min 5 s, 2 h 10 min. */
export function fmtDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
