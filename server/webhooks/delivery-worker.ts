// The delivery loop every instance runs: fan new events out into deliveries, claim what is due,
// send it, record the outcome, and look again a little later when there is nothing to do. All
// coordination is in PostgreSQL (server/webhooks/delivery-store.ts), so instances need to know
// nothing of each other.
//
// What a delivery costs is mostly commits, not HTTP: a claim, then the outcome's record, each a
// write PostgreSQL must flush to its WAL before it answers. So both are made for many deliveries
// at once: a claim takes every free slot in one statement, and outcomes are recorded in batches
// (while one batch is being written, the next collects: the more deliveries, the larger the
// batches, the fewer commits per delivery). New events are found by a cheap read every
// WEBHOOK_POLL_MS, and the fan-out that turns them into deliveries wakes the claim at once.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { SecretBox } from '../crypto/secret-box';
import {
  claimDue,
  eventsToFanOut,
  fanOut,
  finishAttempts,
  pauseFailing,
  type ClaimedDelivery,
  type PauseAudit,
  type FinishedAttempt,
  type FinishedState,
} from './delivery-store';
import { sendWebhook, type SendSettings } from './webhook-sender';
import { endpointSecretContext } from './endpoint-secret';

export interface WorkerSettings extends SendSettings {
  /** How often an idle loop looks for new events and due retries. */
  pollMs: number;
  /** Deliveries this instance has in flight at once (sending, or having its outcome recorded). */
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

/** Events turned into deliveries per fan-out transaction; a full batch is followed at once by the next. */
const FAN_OUT_BATCH = 1000;
/** Outcomes recorded per statement at most. */
const RECORD_BATCH = 500;
/** The pause after a failed step (the database away, for instance), so that a loop does not spin on errors. */
const ERROR_PAUSE_MS = 1000;

/** The delay before attempt `attempts + 1`: exponential, capped, with jitter (so a crowd of retries spreads out). */
export function retryDelayMs(attempts: number, settings: Pick<WorkerSettings, 'retryBaseMs' | 'retryMaxDelayMs'>) {
  const exponential = Math.min(settings.retryMaxDelayMs, settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.75 + Math.random() * 0.5));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A sleep that can be cut short; a wake while awake is kept for the next sleep, so none is lost. */
class Alarm {
  private ring: (() => void) | undefined;
  private rung = false;

  wake(): void {
    if (this.ring) this.ring();
    else this.rung = true;
  }

  async sleep(ms: number): Promise<void> {
    if (this.rung) {
      this.rung = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.ring = () => {
        clearTimeout(timer);
        // after what else this turn settles: the attempts of one recorded batch all end before
        // the loop looks, and it claims for all their slots at once
        setImmediate(resolve);
      };
    });
    this.ring = undefined;
    this.rung = false;
  }
}

/**
 * Records outcomes in batches, one statement each: what arrives while a batch is being written
 * waits for the next one (group commit). A batch that fails is recorded again one attempt at a
 * time, so that one bad row (its delivery deleted meanwhile, say) costs only its own record.
 */
class OutcomeRecorder {
  private queue: Array<{ attempt: FinishedAttempt; settle: (state: FinishedState | Error) => void }> = [];
  private writing = false;

  constructor(private readonly write: (batch: readonly FinishedAttempt[]) => Promise<FinishedState[]>) {}

  /** The state the attempt left its delivery in, once recorded; rejects when it could not be. */
  async record(attempt: FinishedAttempt): Promise<FinishedState> {
    const settled = await new Promise<FinishedState | Error>((settle) => {
      this.queue.push({ attempt, settle });
      if (!this.writing) void this.writeAll();
    });
    if (settled instanceof Error) throw settled;
    return settled;
  }

  private async writeAll(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, RECORD_BATCH);
      try {
        const states = await this.write(batch.map((item) => item.attempt));
        batch.forEach((item, index) => item.settle(states[index] ?? null));
      } catch {
        for (const item of batch) {
          try {
            const [state] = await this.write([item.attempt]);
            item.settle(state ?? null);
          } catch (error) {
            item.settle(error instanceof Error ? error : new Error(message(error)));
          }
        }
      }
    }
    this.writing = false;
  }
}

export class DeliveryWorker {
  private stopping = false;
  private loops: Promise<unknown> | undefined;
  private readonly claimAlarm = new Alarm();
  private readonly fanOutAlarm = new Alarm();
  private readonly recorder = new OutcomeRecorder((batch) =>
    finishAttempts(this.orm.em.fork(), batch, this.settings.retryWindowMs),
  );

  constructor(
    private readonly orm: MikroORM,
    private readonly secrets: SecretBox,
    private readonly settings: WorkerSettings,
    private readonly log: WorkerLog,
    private readonly audit: PauseAudit,
  ) {}

  /** The claim outlives the longest an attempt may take (its timeout, plus a DNS lookup and the write after it). */
  get leaseMs(): number {
    return this.settings.timeoutMs + 5000;
  }

  start(): this {
    this.loops ??= Promise.all([this.fanOutLoop(), this.claimLoop()]);
    return this;
  }

  /** Ends the loops after the attempts in flight finish (each within its timeout) and are recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.fanOutAlarm.wake();
    this.claimAlarm.wake();
    await this.loops;
  }

  /**
   * Turns new events into deliveries: looks with a read every `pollMs`, and fans out only when
   * there is something (a full batch is followed at once by the next). Each fan-out wakes the claim.
   */
  private async fanOutLoop(): Promise<void> {
    while (!this.stopping) {
      let pause = this.settings.pollMs;
      try {
        if (await eventsToFanOut(this.orm.em.fork())) {
          const taken = await fanOut(this.orm.em.fork(), FAN_OUT_BATCH);
          if (taken > 0) this.claimAlarm.wake();
          if (taken === FAN_OUT_BATCH) pause = 0;
        }
      } catch (error) {
        // the database away, for instance: try again after a pause, never crash the instance
        this.log.warn({ err: message(error) }, 'webhook fan-out failed');
        pause = Math.max(pause, ERROR_PAUSE_MS);
      }
      if (pause > 0 && !this.stopping) await this.fanOutAlarm.sleep(pause);
    }
  }

  /**
   * Keeps up to `concurrency` attempts in flight: claims as many as there are free slots, in one
   * statement, as soon as slots free up (a slow receiver does not hold back the others), and
   * sleeps when nothing more is due, until the fan-out finds something, an attempt ends, or
   * `pollMs` passes (retries come due with time).
   */
  private async claimLoop(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (!this.stopping) {
      let pause = this.settings.pollMs;
      const free = this.settings.concurrency - inFlight.size;
      if (free > 0) {
        try {
          const claimed = await this.claim(free);
          for (const [delivery, secrets] of claimed) {
            const attempt = this.deliver(delivery, secrets)
              .catch((error: unknown) =>
                // the lease runs out and another claim retries it
                this.log.warn({ err: message(error) }, 'webhook attempt not recorded'),
              )
              .finally(() => {
                inFlight.delete(attempt);
                this.claimAlarm.wake();
              });
            inFlight.add(attempt);
          }
          // every slot taken: more may be due, and the next freed slot (which wakes the alarm) is
          // the time to look
          if (claimed.length === free) pause = this.settings.timeoutMs;
        } catch (error) {
          this.log.warn({ err: message(error) }, 'webhook claim failed');
          pause = ERROR_PAUSE_MS;
        }
      } else {
        pause = this.settings.timeoutMs;
      }
      if (!this.stopping) await this.claimAlarm.sleep(pause);
    }
    await Promise.all(inFlight);
  }

  /**
   * Claims up to `limit` due deliveries, each with its endpoint's secrets opened (once per endpoint
   * and batch): the current one, and the one a rotation replaced while it still signs.
   */
  private async claim(limit: number): Promise<Array<[ClaimedDelivery, () => string[]]>> {
    const claimed = await claimDue(this.orm.em.fork(), limit, this.leaseMs);
    const opened = new Map<string, string>();
    const open = (endpointId: string, sealed: string) => {
      const key = `${endpointId}\0${sealed}`;
      let secret = opened.get(key);
      if (secret === undefined) {
        secret = this.secrets.open(sealed, endpointSecretContext(endpointId));
        opened.set(key, secret);
      }
      return secret;
    };
    return claimed.map((delivery) => [
      delivery,
      () =>
        [delivery.secret, delivery.previous_secret]
          .filter((sealed): sealed is string => sealed !== null)
          .map((sealed) => open(delivery.endpoint_id, sealed)),
    ]);
  }

  private async deliver(delivery: ClaimedDelivery, secrets: () => string[]): Promise<void> {
    const outcome = await sendWebhook(
      {
        url: delivery.url,
        secrets: secrets(),
        messageId: delivery.message_id,
        type: delivery.type,
        data: delivery.data,
      },
      this.settings,
    );
    const delay = retryDelayMs(delivery.attempts, this.settings);
    const state = await this.recorder.record({ claim: delivery, outcome, retryDelayMs: delay });
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
      if (await pauseFailing(this.orm.em.fork(), delivery.endpoint_id, reason, this.audit)) {
        this.log.warn({ ...details, reason }, 'webhook endpoint paused');
      }
    }
  }
}
