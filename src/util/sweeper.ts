/**
 * Work that runs now and then over rows in the database (due outbox jobs, deadlines): on an
 * interval, and on demand. A call while it runs makes it go round once more — what was asked for may
 * have come after the rows were read — and waits for that. Errors go to `failed`; the next run
 * tries again.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private more = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly failed: (err: unknown) => void,
  ) {}

  /** Every `intervalMs`, and once now. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
    void this.run();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  run(): Promise<void> {
    if (this.running) {
      this.more = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.more = false;
        await this.work();
      } while (this.more);
    })()
      .catch(this.failed)
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** From inside the work: go round once more when this round ends. */
  again(): void {
    this.more = true;
  }
}
