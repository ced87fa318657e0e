// The delivery loop every instance runs: fan new events out into deliveries, claim what is due,
// send it, record the outcome, and wait a little when there is nothing to do. All coordination is
// in PostgreSQL (server/webhooks/delivery-store.ts), so instances need to know nothing of each other.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { SecretBox } from '../crypto/secret-box';
import { claimDue, fanOut, finishAttempt, pauseFailing, type ClaimedDelivery } from './delivery-store';
import { sendWebhook, type SendSettings } from './webhook-sender';
import { endpointSecretContext } from './endpoint-secret';

export interface WorkerSettings extends SendSettings {
  /** How long the loop sleeps when nothing was due. */
  pollMs: number;
  /** Deliveries sent at once by this instance. */
  concurrency: number;
  /** The first retry's delay; each next one doubles, up to retryMaxDelayMs, each with ±25 % jitter. */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** After this long from its queueing, a failing delivery is given up (WEBHOOK_RETRY_HOURS). */
  retryWindowMs: number;
}

export interface WorkerLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/** The delay before attempt `attempts + 1`: exponential, capped, with jitter (so a crowd of retries spreads out). */
export function retryDelayMs(attempts: number, settings: Pick<WorkerSettings, 'retryBaseMs' | 'retryMaxDelayMs'>) {
  const exponential = Math.min(settings.retryMaxDelayMs, settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.75 + Math.random() * 0.5));
}

export class DeliveryWorker {
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly secrets: SecretBox,
    private readonly settings: WorkerSettings,
    private readonly log: WorkerLog,
  ) {}

  /** The claim outlives the longest an attempt may take (its timeout, plus a DNS lookup and the write after it). */
  get leaseMs(): number {
    return this.settings.timeoutMs + 5000;
  }

  start(): this {
    this.loop ??= this.run();
    return this;
  }

  /** Ends the loop after the attempts in flight finish (each within its timeout). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  /**
   * Keeps up to `concurrency` attempts in flight: claims more as soon as slots free up (a slow
   * receiver does not hold back the others), and sleeps only when there was nothing to claim.
   */
  private async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let lastFanOut = 0;
    while (!this.stopping) {
      let claimedAny = false;
      try {
        // new events are looked for at most every 100 ms (or pollMs), not at every freed slot: a
        // fan-out is a transaction of its own, and there is one cursor for all instances
        if (Date.now() - lastFanOut >= Math.min(100, this.settings.pollMs)) {
          lastFanOut = Date.now();
          await fanOut(this.orm.em.fork(), 1000);
        }
        const free = this.settings.concurrency - inFlight.size;
        const claimed = free > 0 ? await claimDue(this.orm.em.fork(), free, this.leaseMs) : [];
        claimedAny = claimed.length > 0;
        for (const delivery of claimed) {
          const attempt = this.deliver(delivery)
            .catch((error: unknown) =>
              // the lease runs out and another claim retries it
              this.log.warn(
                { err: error instanceof Error ? error.message : String(error) },
                'webhook attempt not recorded',
              ),
            )
            .finally(() => {
              inFlight.delete(attempt);
              this.wake?.();
            });
          inFlight.add(attempt);
        }
      } catch (error) {
        // the database away, for instance: try again after a pause, never crash the instance
        this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'webhook loop failed');
      }
      if (this.stopping) break;
      if (inFlight.size >= this.settings.concurrency) await Promise.race(inFlight);
      else if (!claimedAny) await this.sleep(this.settings.pollMs);
    }
    await Promise.all(inFlight);
  }

  /** Waits `ms`, or less when an attempt finishes or the loop is stopped. */
  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const outcome = await sendWebhook(
      {
        url: delivery.url,
        secret: this.secrets.open(delivery.secret, endpointSecretContext(delivery.endpoint_id)),
        messageId: delivery.message_id,
        type: delivery.type,
        data: delivery.data,
      },
      this.settings,
    );
    const delay = retryDelayMs(delivery.attempts, this.settings);
    const state = await finishAttempt(this.orm.em.fork(), delivery, outcome, delay, this.settings.retryWindowMs);
    const details = {
      endpoint: delivery.endpoint_id,
      webhookId: delivery.message_id,
      attempt: delivery.attempts,
      status: outcome.status,
    };
    if (state === 'pending')
      this.log.info({ ...details, error: outcome.error, retryInMs: delay }, 'webhook attempt failed');
    if (state === 'failed') {
      const reason = `a delivery failed for ${this.settings.retryWindowMs / 3_600_000} hours (last: ${outcome.error})`;
      if (await pauseFailing(this.orm.em.fork(), delivery.endpoint_id, reason)) {
        this.log.warn({ ...details, reason }, 'webhook endpoint paused');
      }
    }
  }
}
