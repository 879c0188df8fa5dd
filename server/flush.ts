// End-of-turn output: connections with replies waiting are flushed together once per event-loop
// turn (in the check phase, after every socket read of the turn has been handled). This is where
// the group commit of the durable log will sit: commit the turn's records, then release the replies.

export interface Flushable {
  /** True while the connection sits in the queue; owned by OutputScheduler. */
  flushQueued: boolean;
  flush(): void;
}

export class OutputScheduler {
  private queue: Flushable[] = [];
  private scheduled = false;

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

  private readonly run = (): void => {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (const conn of queue) {
      conn.flushQueued = false;
      conn.flush();
    }
  };
}
