/**
 * Progress on stderr for long work: a redrawn bar in a terminal, a periodic plain line (every 10 s)
 * in logs and CI. Counts records per stream; `summary()` is the closing report, ending with one
 * line per stream: records, quarantined, and the cursor now (streams/state-summary.ts).
 */
import { describeState } from './streams/state-summary.js';

export class Progress {
  private readonly startedAt = Date.now();
  private readonly counts = new Map<string, number>();
  private quarantinedCount = 0;
  private unitsDone = 0;
  private unitsPlanned: number | undefined;
  private plannedAtSeconds = 0;
  private unitName = 'windows';
  private readonly unitNames = new Set<string>();
  private readonly warnings: string[] = [];
  private readonly notes: string[] = [];
  private pendingJobs = 0;
  /** Per stream, in the order first seen: quarantined records and the latest state. */
  private readonly streamOrder: string[] = [];
  private readonly quarantinedBy = new Map<string, number>();
  private readonly states = new Map<string, Record<string, unknown>>();
  private lastPrint = Date.now();
  private readonly tty = Boolean(process.stderr.isTTY) && !process.env.CI;

  constructor(
    private readonly label: string,
    private readonly intervalMs = 10_000,
  ) {}

  record(stream: string, n = 1): void {
    this.stream(stream);
    this.counts.set(stream, (this.counts.get(stream) ?? 0) + n);
    this.tick();
  }

  quarantined(n = 1, stream?: string): void {
    this.quarantinedCount += n;
    if (stream !== undefined) {
      this.stream(stream);
      this.quarantinedBy.set(stream, (this.quarantinedBy.get(stream) ?? 0) + n);
    }
  }

  /** A stream the closing summary reports on, with the state it starts from (if any). */
  stream(name: string, state?: Record<string, unknown>): void {
    if (!this.streamOrder.includes(name)) this.streamOrder.push(name);
    if (state !== undefined && !this.states.has(name)) this.states.set(name, state);
  }

  /** The stream's newest state (the one its next sync starts from). */
  state(stream: string, state: Record<string, unknown>): void {
    this.stream(stream);
    this.states.set(stream, state);
  }

  /** Per stream: records, quarantined and the cursor now (the closing lines of the summary). */
  streamLines(): Array<{ stream: string; records: number; quarantined: number; cursor: string }> {
    return this.streamOrder.map((stream) => ({ stream, records: this.recordsOf(stream), quarantined: this.quarantinedBy.get(stream) ?? 0, cursor: describeState(this.states.get(stream)) }));
  }

  /** Units of work planned by a stream (added up; may be cut short, e.g. by an export day not ready yet). */
  plan(units: number, unitName: string): void {
    if (this.unitsPlanned === undefined) this.plannedAtSeconds = this.elapsedSeconds;
    this.unitsPlanned = (this.unitsPlanned ?? 0) + units;
    if (units > 0) this.unitNames.add(unitName);
    this.unitName = this.unitNames.size === 1 ? [...this.unitNames][0]! : 'windows';
  }

  /** Something the closing summary must repeat (a missing window, a failed partition). */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /** A fact for the closing summary (e.g. conversations still active). */
  note(message: string): void {
    this.notes.push(message);
  }

  /** Export jobs left pending for the next sync. */
  jobsPending(count: number): void {
    this.pendingJobs += count;
  }

  get jobsPendingTotal(): number {
    return this.pendingJobs;
  }

  get warningMessages(): readonly string[] {
    return this.warnings;
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
    const left = this.timeLeft();
    const text = `${total.toLocaleString('en-US')} records, ${units}, ${Math.round(rate).toLocaleString('en-US')} rec/s, ${this.elapsedSeconds.toFixed(0)} s${left ? `, ${left}` : ''}`;
    return `${this.label}: ${this.tty && this.unitsPlanned ? `${bar(this.unitsDone / this.unitsPlanned)} ` : ''}${text}`;
  }

  /**
   * The expected time left, from the pace so far (units done per second since the first unit was
   * planned): "about 3 min left". Undefined until a unit is done or when nothing is planned.
   */
  timeLeft(): string | undefined {
    if (!this.unitsPlanned || this.unitsDone === 0 || this.unitsDone >= this.unitsPlanned) return undefined;
    const seconds = ((this.elapsedSeconds - this.plannedAtSeconds) / this.unitsDone) * (this.unitsPlanned - this.unitsDone);
    if (!Number.isFinite(seconds)) return undefined;
    return seconds < 90 ? `about ${Math.max(1, Math.round(seconds))} s left` : seconds < 5400 ? `about ${Math.round(seconds / 60)} min left` : `about ${(seconds / 3600).toFixed(1)} h left`;
  }

  /** Closing report lines (the caller prints them). */
  summary(): string[] {
    if (this.tty) process.stderr.write('\r\x1b[2K');
    const lines = [...this.counts.entries()].map(([stream, n]) => `  ${stream.padEnd(28)} ${n.toLocaleString('en-US').padStart(12)} records`);
    lines.push(`  ${'quarantined'.padEnd(28)} ${this.quarantinedCount.toLocaleString('en-US').padStart(12)} records`);
    lines.push(`  ${'windows loaded'.padEnd(28)} ${String(this.unitsDone).padStart(12)}${this.unitsPlanned !== undefined ? ` of ${this.unitsPlanned} planned` : ''}`);
    lines.push(`  ${'jobs pending'.padEnd(28)} ${String(this.pendingJobs).padStart(12)}${this.pendingJobs > 0 ? '   (kept in the state: the next sync polls them)' : ''}`);
    lines.push(`  ${'time taken'.padEnd(28)} ${this.elapsedSeconds.toFixed(1).padStart(12)} s`);
    for (const note of this.notes) lines.push(`  note: ${note}`);
    const shown = this.warnings.slice(0, 20);
    for (const warning of shown) lines.push(`  warning: ${warning}`);
    if (this.warnings.length > shown.length) lines.push(`  … and ${this.warnings.length - shown.length} more warnings (see the log above)`);
    // Last, one line per stream: where each stands now.
    for (const { stream, records, quarantined, cursor } of this.streamLines()) {
      lines.push(`  stream ${stream}: ${records.toLocaleString('en-US')} records, ${quarantined.toLocaleString('en-US')} quarantined, ${cursor}`);
    }
    return lines;
  }
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
