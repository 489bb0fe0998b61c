/**
 * Plain SQL statements for the hot paths (a petitioner's turn), written once and run either on the
 * database driver directly (see sql-driver.ts) or inside a Prisma transaction. Statements keep their
 * text pieces and values apart, so each runner renders the placeholders its driver wants and no value
 * is ever spliced into SQL text.
 */
export type SqlScalar = string | number | bigint | boolean | Date | null;
/** An array is a PostgreSQL array parameter (`${ids}::text[]`, for unnest): only in PostgreSQL-only statements. */
export type SqlValue = SqlScalar | readonly SqlScalar[];

export interface Statement {
  /** Text around the values: `parts.length === values.length + 1`. */
  readonly parts: readonly string[];
  readonly values: readonly SqlValue[];
}

/** sql`SELECT … WHERE "id" = ${id}`; a nested Statement is inlined with its own values. */
export function sql(strings: TemplateStringsArray, ...values: (SqlValue | Statement)[]): Statement {
  // Without nested statements the call site's own strings are the parts: one frozen array per site,
  // which render() recognises and renders once.
  if (!values.some(isStatement)) return { parts: strings, values: values as SqlValue[] };
  const parts = [strings[0]];
  const flat: SqlValue[] = [];
  values.forEach((v, i) => {
    if (isStatement(v)) {
      parts[parts.length - 1] += v.parts[0];
      for (let j = 0; j < v.values.length; j++) {
        flat.push(v.values[j]);
        parts.push(v.parts[j + 1]);
      }
      parts[parts.length - 1] += strings[i + 1];
    } else {
      flat.push(v);
      parts.push(strings[i + 1]);
    }
  });
  return { parts, values: flat };
}

/** Statements joined by a separator (rows of a multi-row INSERT). */
export function joinSql(items: readonly Statement[], separator = ', '): Statement {
  const parts = [''];
  const values: SqlValue[] = [];
  items.forEach((s, i) => {
    parts[parts.length - 1] += (i ? separator : '') + s.parts[0];
    for (let j = 0; j < s.values.length; j++) {
      values.push(s.values[j]);
      parts.push(s.parts[j + 1]);
    }
  });
  return { parts, values };
}

function isStatement(v: unknown): v is Statement {
  return typeof v === 'object' && v !== null && 'parts' in v && 'values' in v;
}

const rendered = { question: new WeakMap<readonly string[], string>(), numbered: new WeakMap<readonly string[], string>() };

/**
 * `?` for SQLite, `$1…` for PostgreSQL. A turn runs the same few statements over and over: the text
 * of a statement written in one piece is built once per call site (its parts are the site's frozen
 * template strings), which also hands the driver's statement cache the same string each time.
 */
export function render(s: Statement, style: 'question' | 'numbered'): string {
  const cache = Object.isFrozen(s.parts) ? rendered[style] : undefined;
  const known = cache?.get(s.parts);
  if (known !== undefined) return known;
  let text = s.parts[0];
  for (let i = 1; i < s.parts.length; i++) text += (style === 'question' ? '?' : `$${i}`) + s.parts[i];
  cache?.set(s.parts, text);
  return text;
}

/**
 * The body of a transaction, as a generator that yields its statements: the SQLite runner drives it
 * synchronously (so no other code can run while the write lock is held), the PostgreSQL and Prisma
 * runners asynchronously. Write bodies with `yield* query(…)` / `yield* execute(…)`.
 */
export type TxOp = { kind: 'query' | 'execute'; statement: Statement } | { kind: 'dialect' };
export type TxBody<T> = Generator<TxOp, T, unknown>;

/**
 * Which SQL the runner speaks. 'portable' (a Prisma transaction, whose provider the body cannot
 * see) takes what both databases run; a body may write one statement where PostgreSQL allows what
 * SQLite does not (a data-modifying WITH), saving a round trip to the server.
 */
export type Dialect = 'sqlite' | 'postgresql' | 'portable';

export function* dialect(): TxBody<Dialect> {
  return (yield { kind: 'dialect' }) as Dialect;
}

/** Rows of a SELECT or of a statement with RETURNING. */
export function* query<T>(statement: Statement): TxBody<T[]> {
  return (yield { kind: 'query', statement }) as T[];
}

/** The number of rows changed. */
export function* execute(statement: Statement): TxBody<number> {
  return (yield { kind: 'execute', statement }) as number;
}

export function driveSync<T>(body: TxBody<T>, run: (op: TxOp) => unknown): T {
  let step = body.next();
  while (!step.done) step = body.next(run(step.value));
  return step.value;
}

export async function driveAsync<T>(body: TxBody<T>, run: (op: TxOp) => Promise<unknown>): Promise<T> {
  let step = body.next();
  while (!step.done) step = body.next(await run(step.value));
  return step.value;
}
