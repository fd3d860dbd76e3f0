/** Counters behind INFO # Stats, and Redis's instantaneous_ops_per_sec sampling. */
export class Stats {
  startedAt = Date.now();
  totalCommands = 0;
  totalConnections = 0;
  rejectedConnections = 0;
  expiredKeys = 0;
  private samples: number[] = [];
  private lastCount = 0;
  private lastAt = performance.now();

  /** Called every 100 ms: one sample of commands per second, last 16 kept. */
  sample(): void {
    const now = performance.now();
    const dt = now - this.lastAt;
    if (dt <= 0) return;
    this.samples.push(((this.totalCommands - this.lastCount) * 1000) / dt);
    if (this.samples.length > 16) this.samples.shift();
    this.lastCount = this.totalCommands;
    this.lastAt = now;
  }

  opsPerSec(): number {
    if (this.samples.length === 0) return 0;
    return Math.round(this.samples.reduce((a, b) => a + b, 0) / this.samples.length);
  }

  reset(): void {
    this.totalCommands = 0;
    this.totalConnections = 0;
    this.rejectedConnections = 0;
    this.expiredKeys = 0;
    this.samples = [];
    this.lastCount = 0;
  }
}
