// The webhook delivery loop of this instance (server/webhooks/delivery-worker.ts), from the
// configuration; null when WEBHOOK_WORKER=false. Started with the service, stopped on shutdown.
// An endpoint it pauses is recorded as a `webhook.paused` event whose actor is `service`: the
// audit trail says who stopped the deliveries, and here nobody did.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/config';
import type { SecretBox } from '../crypto/secret-box';
import { DeliveryWorker, type WorkerLog } from '../webhooks/delivery-worker';
import type { PauseAudit } from '../webhooks/delivery-store';
import { recordEvent } from '../../router/events/events-store';

/** The actor of what the service does by itself. */
export const SERVICE_ACTOR = 'service';

const recordPause: PauseAudit = (tx, { id, url, types, reason }) =>
  recordEvent(tx, {
    type: 'webhook.paused',
    actor: SERVICE_ACTOR,
    userId: null,
    data: { endpoint: id, url, types, reason },
  });

export function startWebhookWorker(
  orm: MikroORM,
  secrets: SecretBox,
  config: Config,
  log: WorkerLog,
): DeliveryWorker | null {
  if (!config.WEBHOOK_WORKER) return null;
  return new DeliveryWorker(
    orm,
    secrets,
    {
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      responseLimitBytes: config.WEBHOOK_RESPONSE_LIMIT_BYTES,
      pollMs: config.WEBHOOK_POLL_MS,
      concurrency: config.WEBHOOK_CONCURRENCY,
      retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
      retryMaxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
      retryWindowMs: config.WEBHOOK_RETRY_HOURS * 3_600_000,
    },
    log,
    recordPause,
  ).start();
}
