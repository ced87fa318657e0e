// The CPU PostgreSQL spends for one server under test: the backends connected to the bench
// database, read from /proc like the servers' own CPU. It tells a service bound by its own
// event loop from one waiting on the database. Only where PostgreSQL runs on this machine;
// elsewhere the figure is unknown (NaN).
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { cpuSeconds } from './processes';

export class PostgresMeter {
  private atStart = new Map<number, number>();
  private startedAt = 0;

  private constructor(
    private readonly client: pg.Client,
    private readonly database: string | undefined,
  ) {}

  /**
   * Meters the backends of `database` (default: the one `url` names). Connected to another
   * database of the server, the meter's own queries stay out of the metered database's statistics.
   */
  static async open(url: string, database?: string): Promise<PostgresMeter> {
    const client = new pg.Client({ connectionString: url });
    // a server stopped under the meter (an interrupted run closing its clusters) must not crash the run
    client.on('error', () => undefined);
    await client.connect();
    return new PostgresMeter(client, database);
  }

  private async backends(): Promise<Map<number, number>> {
    const { rows } = await this.client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = coalesce($1, current_database()) and pid <> pg_backend_pid()',
      [this.database ?? null],
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        cpu.set(pid, cpuSeconds(pid));
      } catch {
        // not on this machine, or gone already
      }
    }
    return cpu;
  }

  async start(): Promise<void> {
    this.atStart = await this.backends();
    this.startedAt = performance.now();
  }

  /** Cores' worth of CPU the backends used since start(); a backend that started meanwhile counts whole. */
  async stop(): Promise<number> {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const now = await this.backends();
    if (now.size === 0) return NaN;
    let used = 0;
    for (const [pid, cpu] of now) used += cpu - (this.atStart.get(pid) ?? 0);
    return used / seconds;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
