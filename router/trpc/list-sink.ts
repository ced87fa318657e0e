// How a transport that can stream takes a long list (REST writes it as JSON while it is read): a
// procedure hands it rows a batch at a time. Declared here, in the plumbing, so the transport
// and the domains both depend on it and never on each other.

/** Where a streamed list goes, a batch at a time; `signal` aborts when the client has gone. */
export interface ListSink<Row = unknown> {
  readonly signal: AbortSignal;
  /** Resolves when the transport can take more (backpressure). */
  write(rows: Row[]): Promise<void>;
}
