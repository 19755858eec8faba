/**
 * Progress on stderr for long work: a redrawn bar in a terminal, a periodic plain line (every 10 s)
 * in logs and CI. Counts records per stream; `summary()` is the closing report.
 */
export class Progress {
  private readonly startedAt = Date.now();
  private readonly counts = new Map<string, number>();
  private quarantinedCount = 0;
  private unitsDone = 0;
  private unitsPlanned: number | undefined;
  private unitName = 'days/intervals';
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

  /** The units of work planned (may be cut short, e.g. by an export day that is not ready yet). */
  plan(units: number, unitName: string): void {
    this.unitsPlanned = units;
    this.unitName = unitName;
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
    const units = this.unitsPlanned ? `${this.unitsDone}/${this.unitsPlanned} ${this.unitName}` : `${this.unitsDone} ${this.unitName}`;
    const text = `${total.toLocaleString('en-US')} records, ${units}, ${Math.round(rate).toLocaleString('en-US')} rec/s, ${this.elapsedSeconds.toFixed(0)} s`;
    return `${this.label}: ${this.tty && this.unitsPlanned ? `${bar(this.unitsDone / this.unitsPlanned)} ` : ''}${text}`;
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

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
