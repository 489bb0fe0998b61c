const MIB = 1_048_576;

/**
 * "34 KB", "1.2 MB": a file's size as people read it, the same in both languages (officers' cards and
 * console, refusals to petitioners). Never "0 KB". `up` rounds up, for a size said beside a limit: a
 * file refused as too large must never read as no larger than the limit.
 */
export function sizeText(bytes: number, options: { up?: boolean } = {}): string {
  const round = options.up ? Math.ceil : Math.round;
  if (bytes < MIB) return `${Math.max(1, round(bytes / 1024))} KB`;
  const mb = bytes / MIB;
  const tenths = round(mb * 10) / 10;
  return `${tenths >= 10 ? round(mb) : tenths.toFixed(1)} MB`;
}
