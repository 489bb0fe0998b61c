import { StaleConversationError } from '../conversation/messages.js';

// Constraint outcomes arrive as coded errors; these name the two the hub retries on.

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

interface RawQueryMeta {
  driverAdapterError?: { cause?: { kind?: string } };
}

/**
 * A unique constraint refused the write: P2002 from Prisma's model queries, P2010 with the driver's
 * kind from its raw SQL, or the driver's own code when the statement ran on the driver (sql-driver.ts).
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err);
  if (code === 'P2002' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') return true;
  const meta = (err as { meta?: RawQueryMeta }).meta;
  return code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation';
}

/** An update guarded by a version found no row: someone else changed it first. */
export function isVersionConflict(err: unknown): boolean {
  return err instanceof StaleConversationError || codeOf(err) === 'P2025';
}
