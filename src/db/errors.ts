// Prisma reports constraint outcomes as coded errors; these name the two the hub retries on.

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** A unique constraint refused the write (P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return codeOf(err) === 'P2002';
}

/** An update guarded by a version (or status) found no row: someone else changed it first (P2025). */
export function isVersionConflict(err: unknown): boolean {
  return codeOf(err) === 'P2025';
}
