// A long list over REST (`GET /api/v2/users?limit=0`), written as its rows are read: the
// procedure hands its rows to this sink a batch at a time (router/users/user-reads: ListSink), and the
// answer is one well-formed JSON document, `{"items":[…],"total":…,"offset":…,"limit":…}`, in the
// published shape and order. Writes wait for the socket to drain, so memory holds one batch
// whatever the table size; a client that goes away aborts the signal, which stops the reading.
// Once the first bytes are out the status is sent: a failure after that can only cut the
// connection, so the client sees a truncated (invalid) document, never a complete wrong one. The
// headers the procedure set by then (`Link` to the next page) go out with the first bytes.
import { once } from 'node:events';
import type { Context } from 'koa';
import type { ListSink } from '../../../router/trpc/list-sink';

export class JsonListStream implements ListSink {
  private readonly aborted = new AbortController();
  private wrote = 0;

  constructor(
    private readonly ctx: Context,
    /** The procedure's response headers, as they are when the answer begins. */
    private readonly headers: () => Record<string, string | string[]> = () => ({}),
  ) {
    ctx.res.once('close', () => {
      if (!ctx.res.writableFinished) this.aborted.abort();
    });
  }

  get signal(): AbortSignal {
    return this.aborted.signal;
  }

  /** Whether the answer has begun: then it must be finished (or cut) here, not by Koa. */
  get started(): boolean {
    return this.wrote > 0;
  }

  async write(rows: unknown[]): Promise<void> {
    if (rows.length === 0 || this.signal.aborted) return;
    const { res } = this.ctx;
    let text = rows.map((row) => JSON.stringify(row)).join(',');
    if (this.wrote === 0) {
      // Koa leaves the response to us from here; its headers (request id, security) are already set
      this.ctx.respond = false;
      res.statusCode = 200;
      for (const [name, value] of Object.entries(this.headers())) res.setHeader(name, value);
      res.setHeader('Content-Type', 'application/json');
      text = `{"items":[${text}`;
    } else {
      text = `,${text}`;
    }
    this.wrote += rows.length;
    if (res.write(text)) return;
    // the client reads slower than we do: wait for it, or for it to go away
    await once(res, 'drain', { signal: this.signal }).catch((error: unknown) => {
      if (!this.signal.aborted) throw error;
    });
  }

  /** The rest of the document: the list's numbers after its items. */
  finish({ total, offset, limit }: { total: number; offset: number; limit: number }): void {
    this.ctx.res.end(`],"total":${total},"offset":${offset},"limit":${limit}}`);
  }

  /** A failure after the answer began: the connection is cut. */
  cut(): void {
    this.ctx.res.destroy();
  }
}
