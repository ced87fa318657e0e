// What an endpoint's signing secret is for, as the console says it beside the secret.
export const WEBHOOK_SECRET_USE = 'Your receiver verifies each delivery with this secret (Standard Webhooks).';
