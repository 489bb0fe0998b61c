/** A clock the test moves by hand: the hub reads the time only through `now` (HubOptions.now). */
export class TestClock {
  private at: number;

  constructor(start = '2026-03-02T08:00:00Z') {
    this.at = Date.parse(start);
  }

  readonly now = (): Date => new Date(this.at);

  set(iso: string | Date): void {
    this.at = new Date(iso).getTime();
  }

  advanceHours(hours: number): void {
    this.at += hours * 3_600_000;
  }
}
