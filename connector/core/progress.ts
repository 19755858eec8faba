/**
 * Progress on stderr for long work: a redrawn bar-like line in a terminal, a periodic plain line
 * (every 10 s) in logs and CI. Counts records per stream; `summary()` is the closing report.
 */
export class Progress {
  private readonly startedAt = Date.now();
  private readonly counts = new Map<string, number>();
  private quarantinedCount = 0;
  private unitsDone = 0;
  private lastPrint = Date.now();
  private readonly tty = Boolean(process.stderr.isTTY) && !process.env.CI;

  constructor(
    private readonly label: string,
    private readonly intervalMs = 10_000,
  ) {}

  record(stream: string, n = 1): void {
    this.counts.set(stream, (this.counts.get(stream) ?? 0) + n);
    this.tick();
  }

  quarantined(n = 1): void {
    this.quarantinedCount += n;
  }

  /** One unit of work (an export day, a job interval) finished. */
  unitDone(): void {
    this.unitsDone++;
    this.tick(true);
  }

  get quarantinedTotal(): number {
    return this.quarantinedCount;
  }

  get units(): number {
    return this.unitsDone;
  }

  recordsOf(stream: string): number {
    return this.counts.get(stream) ?? 0;
  }

  get elapsedSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  private tick(force = false): void {
    const now = Date.now();
    if (this.tty) {
      if (!force && now - this.lastPrint < 200) return;
      this.lastPrint = now;
      process.stderr.write(`\r\x1b[2K${this.line()}`);
    } else if (now - this.lastPrint >= this.intervalMs) {
      this.lastPrint = now;
      process.stderr.write(`${new Date().toISOString()} INFO  [${this.label}] ${this.line()}\n`);
    }
  }

  private line(): string {
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    const rate = total / Math.max(this.elapsedSeconds, 0.001);
    return `${this.label}: ${total.toLocaleString('en-US')} records, ${this.unitsDone} days/intervals, ${Math.round(rate).toLocaleString('en-US')} rec/s, ${this.elapsedSeconds.toFixed(0)} s`;
  }

  /** Closing report lines (the caller prints them). */
  summary(): string[] {
    if (this.tty) process.stderr.write('\r\x1b[2K');
    const lines = [...this.counts.entries()].map(([stream, n]) => `  ${stream.padEnd(28)} ${n.toLocaleString('en-US').padStart(12)} records`);
    lines.push(`  ${'quarantined'.padEnd(28)} ${this.quarantinedCount.toLocaleString('en-US').padStart(12)} records`);
    lines.push(`  ${'days/intervals loaded'.padEnd(28)} ${String(this.unitsDone).padStart(12)}`);
    lines.push(`  ${'time taken'.padEnd(28)} ${this.elapsedSeconds.toFixed(1).padStart(12)} s`);
    return lines;
  }
}
