// The single `GET /api/v2/users?offset=0&limit=0` request of the service and scale suites: its
// time, the server's peak RSS while it answers, and whether the document is complete. At 2,000,000
// users the answer is about 600 MB of JSON, more than a string may hold, so it is never held
// whole: a scanner reads it chunk by chunk, follows its structure (strings, nesting), counts the
// items of the list and keeps only the last bytes, where the `"total":N,…}` trailer is.
import { performance } from 'node:perf_hooks';
import { ProcessMeter } from './processes';
import { listPath } from './workload';

export interface LimitZeroResult {
  status: number;
  /** Objects in the `items` array. */
  items: number;
  /** The `total` of the trailer: NaN when there is none. */
  total: number;
  /** Well-formed to its last byte, with the trailer, and items === total. */
  complete: boolean;
  /** What is wrong with it, when it is not complete. */
  problem?: string;
  bytes: number;
  ms: number;
  peakRssBytes: number;
}

/** The server under the request: its process (for the RSS) and where it listens. */
export interface LimitZeroTarget {
  pid: number;
  baseUrl: string;
}

export async function limitZero(server: LimitZeroTarget, token: string): Promise<LimitZeroResult> {
  const meter = new ProcessMeter(server.pid);
  meter.start();
  const started = performance.now();
  const scanner = new ListDocumentScanner();
  let status = 0;
  let failure: string | undefined;
  try {
    const response = await fetch(`${server.baseUrl}${listPath(0, 0)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    status = response.status;
    if (!response.ok || !response.body) {
      failure = `${response.status}: ${(await response.text()).slice(0, 300)}`;
    } else {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        scanner.push(value);
      }
    }
  } catch (error) {
    // a cut connection is what a stream that failed half-way looks like: report it, do not stop the run
    failure = `the response broke off: ${error instanceof Error ? error.message : String(error)}`;
  }
  const ms = performance.now() - started;
  const { peakRssBytes } = meter.stop();
  const scanned = scanner.finish();
  const problem = failure ?? scanned.problem;
  return {
    status,
    items: scanned.items,
    total: scanned.total,
    complete: problem === undefined,
    ...(problem === undefined ? {} : { problem }),
    bytes: scanner.bytes,
    ms,
    peakRssBytes,
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** Both the service and the baseline write the list's items first. */
const HEAD = Buffer.from('{"items":[');
/** Enough for `],"total":4294967295,"offset":0,"limit":0}` with room to spare. */
const TAIL_BYTES = 1024;

/**
 * Follows a `{"items":[{…},…],"total":N,…}` document as it arrives. Only the structure is
 * checked (strings and their escapes, matching brackets, nothing after the end; UTF-8's
 * multi-byte sequences never hold an ASCII byte, so bytes are enough); the items' own fields are
 * the parity check's business. The trailer, small, is parsed as JSON at the end.
 */
export class ListDocumentScanner {
  bytes = 0;
  private items = 0;
  private readonly stack: number[] = [];
  private inString = false;
  private escaped = false;
  private head = Buffer.alloc(0);
  private tail = Buffer.alloc(0);
  /** Byte offsets where the items array closed and where the document ended, once they have. */
  private itemsEnd = -1;
  private documentEnd = -1;
  private problem: string | undefined;

  push(chunk: Uint8Array): void {
    if (this.head.length < HEAD.length) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD.length - this.head.length)]);
    }
    this.tail =
      chunk.length >= TAIL_BYTES
        ? Buffer.from(chunk.subarray(chunk.length - TAIL_BYTES))
        : Buffer.concat([this.tail, chunk]).subarray(-TAIL_BYTES);
    if (this.problem === undefined) this.scan(chunk);
    this.bytes += chunk.length;
  }

  private scan(chunk: Uint8Array): void {
    const stack = this.stack;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
        continue;
      }
      if (this.documentEnd >= 0) {
        if (!WHITESPACE.has(byte)) return this.fail(`bytes after the end of the document at ${this.bytes + index}`);
        continue;
      }
      switch (byte) {
        case QUOTE:
          if (stack.length === 2 && this.itemsEnd < 0) return this.fail(`item ${this.items + 1} is not an object`);
          this.inString = true;
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          // directly inside the items array (the document's object, then the array): an item
          if (stack.length === 2 && this.itemsEnd < 0) {
            if (byte !== OPEN_OBJECT) return this.fail(`item ${this.items + 1} is not an object`);
            this.items++;
          }
          stack.push(byte);
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          const open = stack.pop();
          if (open !== (byte === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY)) {
            return this.fail(`unbalanced ${String.fromCharCode(byte)} at byte ${this.bytes + index}`);
          }
          if (stack.length === 1 && this.itemsEnd < 0) this.itemsEnd = this.bytes + index + 1;
          if (stack.length === 0) this.documentEnd = this.bytes + index + 1;
          break;
        }
        default:
          if (stack.length === 2 && this.itemsEnd < 0 && byte !== COMMA && !WHITESPACE.has(byte)) {
            return this.fail(`item ${this.items + 1} is not an object`);
          }
      }
    }
  }

  private fail(problem: string): void {
    this.problem ??= problem;
  }

  /** What the whole document held: call once the response has ended. */
  finish(): { items: number; total: number; problem?: string } {
    const result = (problem?: string, total = NaN) => ({
      items: this.items,
      total,
      ...(problem === undefined ? {} : { problem }),
    });
    if (this.problem !== undefined) return result(this.problem);
    if (this.bytes === 0) return result('an empty answer');
    if (!this.head.equals(HEAD)) return result(`it does not begin with ${HEAD.toString()}`);
    if (this.documentEnd < 0) return result(`cut off after ${this.bytes} bytes (${this.items} items)`);
    if (this.bytes - this.itemsEnd > TAIL_BYTES) return result('a trailer longer than expected');
    const trailer = this.tail
      .subarray(this.tail.length - (this.bytes - this.itemsEnd))
      .toString('utf8')
      .trim();
    let numbers: unknown;
    try {
      // `,"total":…,"offset":…,"limit":…}` is an object once its comma becomes a brace
      numbers = trailer.startsWith(',') ? JSON.parse(`{${trailer.slice(1)}`) : undefined;
    } catch {
      numbers = undefined;
    }
    const total = (numbers as { total?: unknown } | undefined)?.total;
    if (typeof total !== 'number' || !Number.isInteger(total)) {
      return result(`no "total" after the items: ${trailer.slice(0, 100)}`);
    }
    if (total !== this.items) return result(`${this.items} items, but "total" is ${total}`, total);
    return result(undefined, total);
  }
}
