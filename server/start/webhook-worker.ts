// The webhook delivery loop of this instance (server/webhooks/delivery-worker.ts), from the
// configuration; null when WEBHOOK_WORKER=false. Started with the service, stopped on shutdown.
// An endpoint it pauses is recorded by the webhooks domain (recordServicePause), as a
// `webhook.paused` event whose actor is `service`.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/config';
import type { SecretBox } from '../crypto/secret-box';
import { DeliveryWorker, type WorkerLog } from '../webhooks/delivery-worker';
import { recordServicePause } from '../../router/webhooks/webhook-service';

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
    recordServicePause,
  ).start();
}
