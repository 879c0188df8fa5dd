// End-of-turn output and the group commit. Connections with replies waiting are flushed together
// once per event-loop turn (in the check phase, after every socket read of the turn was handled):
// first the turn's log records are committed (one write; under appendfsync always an fdatasync),
// then the turn's replies are released, in turn order.
//
// Under `always` the replies of a turn wait for an fdatasync that began after the turn's records
// were written. Meanwhile the server keeps reading and running later turns, whose replies queue
// behind (a reply never leaves before an earlier turn's, and never before its own records are
// durable; a turn that wrote nothing still waits for an fdatasync in flight, so a reply can never
// show data that is not durable yet). Under everysec and no, replies leave as soon as written.
//
// When the records of a turn could not be made durable (the log failed), the replies of that
// turn's write commands are replaced by the -MISCONF error: a write is never acknowledged unless
// it is durable. Its effect stays in memory and in the log's retry buffer (it may still reach the
// disk when a failed write is retried successfully): the same uncertainty as a connection Redis
// drops when it exits on an AOF error under `always`. Other replies (reads) leave unchanged.

export interface Flushable {
  /** True while the connection sits in the queue; owned by OutputScheduler. */
  flushQueued: boolean;
  /** Hand over the replies written so far, or null when there are none. */
  takeReplies(): Buffer | null;
  /** Send replies taken earlier (null: none) and close the connection if it asked to close after them. */
  sendReplies(bytes: Buffer | null): void;
}

/** The group commit a turn's replies wait on. */
export interface TurnCommit {
  /**
   * Make the turn's records durable as the policy says: null when the replies may leave now, else
   * a promise settling when they may (rejected: the records could not be made durable).
   * `durable`: wait for an fdatasync whatever the policy (WAITAOF).
   */
  commitTurn(durable: boolean): Promise<void> | null;
  /** The error reply that replaces a write's reply when its record could not be made durable. */
  failedWriteReply(error: Error): string;
}

/** Byte ranges [start, end) of one connection's pending replies that belong to write commands. */
type WriteRanges = number[];

/** The replies of one turn, waiting for its commit. */
interface Batch {
  readonly conns: Flushable[];
  readonly replies: Array<Buffer | null>;
  readonly writes: Map<Flushable, WriteRanges>;
  settled: boolean;
  error: Error | null;
}

export class OutputScheduler {
  private queue: Flushable[] = [];
  private scheduled = false;
  /** Write-command reply ranges of this turn, by connection (positions in its pending replies). */
  private writes = new Map<Flushable, WriteRanges>();
  /** This turn must wait for an fdatasync whatever the policy. */
  private durableTurn = false;
  /** Turns whose replies wait for their commit, oldest first. */
  private readonly batches: Batch[] = [];
  /** The log's group commit; null runs without one (replies leave at the end of the turn). */
  commit: TurnCommit | null = null;
  /**
   * Work that must run at the start of the turn, before its replies are taken (Redis's
   * beforeSleep: serve keys made ready outside a command, run the backlogs of unblocked clients).
   * What it writes and commits belongs to this turn.
   */
  beforeTurn: (() => void) | null = null;

  /** Ask for `conn` to be flushed at the end of this turn. */
  mark(conn: Flushable): void {
    if (conn.flushQueued) return;
    conn.flushQueued = true;
    this.queue.push(conn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  /** Make sure a turn runs soon even if no connection has replies yet (for beforeTurn's work). */
  requestTurn(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  /**
   * The reply of a write command at [start, end) of `conn`'s pending replies: if this turn's
   * records cannot be made durable it becomes the error reply instead.
   */
  noteWrite(conn: Flushable, start: number, end: number): void {
    const ranges = this.writes.get(conn);
    if (ranges === undefined) this.writes.set(conn, [start, end]);
    else ranges.push(start, end);
    this.mark(conn);
  }

  /** This turn's replies wait for an fdatasync covering everything written (WAITAOF). */
  requireDurable(): void {
    this.durableTurn = true;
  }

  /** Turns whose replies are still held (tests, INFO). */
  get heldTurns(): number {
    return this.batches.length;
  }

  private readonly run = (): void => {
    // Still marked scheduled while beforeTurn runs: this turn covers what it marks.
    try {
      if (this.beforeTurn !== null) this.beforeTurn();
    } finally {
      this.scheduled = false;
    }
    const queue = this.queue;
    this.queue = [];
    const writes = this.writes;
    if (writes.size > 0) this.writes = new Map();
    const durable = this.durableTurn;
    this.durableTurn = false;
    const wait = this.commit !== null ? this.commit.commitTurn(durable) : null;
    if (wait === null && this.batches.length === 0) {
      // Nothing to wait for: the common path under everysec and no.
      for (const conn of queue) {
        conn.flushQueued = false;
        conn.sendReplies(conn.takeReplies());
      }
      return;
    }
    const replies: Array<Buffer | null> = new Array(queue.length);
    for (let i = 0; i < queue.length; i++) {
      const conn = queue[i]!;
      conn.flushQueued = false;
      replies[i] = conn.takeReplies();
    }
    const batch: Batch = { conns: queue, replies, writes, settled: wait === null, error: null };
    this.batches.push(batch);
    if (wait === null) {
      this.release();
      return;
    }
    wait.then(
      () => {
        batch.settled = true;
        this.release();
      },
      (err: Error) => {
        batch.settled = true;
        batch.error = err;
        this.release();
      },
    );
  };

  /** Send the replies of every settled turn at the head of the queue, in turn order. */
  private release(): void {
    while (this.batches.length > 0 && this.batches[0]!.settled) {
      const batch = this.batches.shift()!;
      const failedReply = batch.error !== null && this.commit !== null ? this.commit.failedWriteReply(batch.error) : null;
      for (let i = 0; i < batch.conns.length; i++) {
        const conn = batch.conns[i]!;
        let bytes = batch.replies[i]!;
        const ranges = batch.writes.get(conn);
        if (failedReply !== null && ranges !== undefined && bytes !== null) bytes = replaceRanges(bytes, ranges, failedReply);
        conn.sendReplies(bytes);
      }
    }
  }
}

/** `bytes` with each [start, end) range (ascending, disjoint) that holds a reply replaced by `-error\r\n`. */
export function replaceRanges(bytes: Buffer, ranges: WriteRanges, error: string): Buffer {
  const errorBytes = Buffer.from(`-${error}\r\n`, 'latin1');
  const parts: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const start = Math.min(ranges[i]!, bytes.length);
    const end = Math.min(ranges[i + 1]!, bytes.length);
    // An empty range: the reply was suppressed (CLIENT REPLY OFF/SKIP); nothing to replace.
    if (end <= start || start < at) continue;
    parts.push(bytes.subarray(at, start), errorBytes);
    at = end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}
