/** What the benches share on their command lines: a bad option is a UsageError, printed with the usage. */

/** A bad command line: the bench prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

/** A number option: `fallback` when not given, else a number in [min, max] (a whole one with `whole`). */
export function numberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number, whole = false): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be a ${whole ? 'whole number' : 'number'} from ${min} to ${max}`);
  }
  return v;
}

/** Prints the usage and exits when --help was given. */
export function helpAsked(help: boolean | undefined, usage: string): void {
  if (!help) return;
  console.log(usage);
  process.exit(0);
}

/** How a bench's main ends: its exit code, or its error (with the usage for a UsageError) after `cleanUp`. */
export function finish(main: Promise<number>, name: string, usage: string, cleanUp: () => Promise<unknown> | void): void {
  main.then(
    (code) => process.exit(code),
    async (err: unknown) => {
      console.error(err instanceof UsageError ? `${err.message}\n\n${usage}` : `${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      await cleanUp();
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
