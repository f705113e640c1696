/**
 * Dates given in config or on the command line, read as UTC.
 */

/**
 * Parses a date or timestamp given in config or on the command line (`2024-01-01`, `2024-01-01T06:00:00`,
 * `2024-01-01 06:00`, `2024-01-01T06:00:00.000Z` as `toISOString` writes it) as UTC.
 * @returns undefined when the text is not such a date
 */
export function parseUtcDate(v: unknown): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|\+00:?00)?$/.exec(v.trim());
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), +(m[7] ?? '0').padEnd(3, '0')));
  return Number.isNaN(d.getTime()) || d.getUTCDate() !== +m[3] ? undefined : d;
}
