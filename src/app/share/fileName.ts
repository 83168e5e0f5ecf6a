// Download names: strata-<chart>-<model>-<date>.<ext>, safe on every file system.

/**
 * `text` as a file-name part: lower case ASCII letters, digits, `.` and `-` only (accents are
 * dropped, every other run of characters becomes one `-`), no leading or trailing `-`/`.`, at most
 * `max` characters; `fallback` when nothing is left.
 */
export function slugify(text: string, max = 48, fallback = 'chart'): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .slice(0, max)
    .replace(/^[-.]+|[-.]+$/g, '');
  return slug || fallback;
}

/** The day `date` falls on, in UTC, as YYYY-MM-DD. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `strata-<chart>-<model>-<date>.<ext>`, each part sanitised. */
export function exportFileName(parts: {
  chart: string;
  model: string | null;
  date: Date;
  ext: string;
}): string {
  const ext =
    parts.ext
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 8) || 'txt';
  return `strata-${slugify(parts.chart)}-${slugify(parts.model ?? '', 48, 'no-model')}-${isoDay(parts.date)}.${ext}`;
}
