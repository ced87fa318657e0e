// A stand-in for the Node response that trpc-to-openapi writes to, so that Koa, not the
// adapter, sends the response (status, headers and body go through Koa's middleware).
import type { ServerResponse } from 'node:http';

export class CapturedResponse {
  statusCode = 200;
  readonly headers = new Map<string, string | number | readonly string[]>();
  body: string | undefined;
  writableEnded = false;

  constructor(private readonly real: ServerResponse) {}

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }

  end(chunk?: string): this {
    this.body = chunk;
    this.writableEnded = true;
    return this;
  }

  // the adapter listens for the client going away on the real response
  once(event: string, listener: (...args: unknown[]) => void): this {
    this.real.once(event, listener);
    return this;
  }

  off(event: string, listener: (...args: unknown[]) => void): this {
    this.real.off(event, listener);
    return this;
  }
}
