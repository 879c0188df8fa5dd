// WAIT and WAITAOF's replica part: a client blocks (Ctx.block, with no keys: only its deadline or
// enough acknowledgments end it) until enough replicas acknowledged its last write's offset
// (REPLCONF ACK, or FACK for WAITAOF: durable in the replica's log). Then replication unblocks it
// the way CLIENT UNBLOCK TIMEOUT would, and its "timeout" reply is the count at that moment, as
// Redis answers a WAIT whether it timed out or was satisfied.

export type WaitKind = 'wait' | 'waitaof';

interface Waiter {
  readonly clientId: number;
  readonly kind: WaitKind;
  /** The log offset the replicas must reach: the client's last write. */
  readonly offset: number;
  /** As Redis stores it: an int (a larger count wraps, as there). */
  readonly numreplicas: number;
}

export interface WaitHost {
  /** Replicas whose ACK (or FACK) is at least `offset`. */
  countAcked(offset: number, aof: boolean): number;
  /** End a client's wait now: it gets its timeout reply. False when it no longer waits. */
  unblock(clientId: number): boolean;
}

export class WaitQueue {
  private readonly waiters = new Map<number, Waiter>();
  private checkScheduled = false;

  constructor(private readonly host: WaitHost) {}

  add(clientId: number, kind: WaitKind, offset: number, numreplicas: number): void {
    this.waiters.set(clientId, { clientId, kind, offset, numreplicas: Number(BigInt.asIntN(32, BigInt(numreplicas))) });
    // A count Redis's int wrapped to zero or below is satisfied at once (in its next beforeSleep).
    this.scheduleCheck();
  }

  /** The wait ended (its reply is being written): forget it. */
  remove(clientId: number): void {
    this.waiters.delete(clientId);
  }

  /** After an ACK: answer, outside any command, the waiters now satisfied. */
  scheduleCheck(): void {
    if (this.checkScheduled || this.waiters.size === 0) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      for (const w of [...this.waiters.values()]) {
        if (this.host.countAcked(w.offset, w.kind === 'waitaof') < w.numreplicas) continue;
        if (!this.host.unblock(w.clientId)) this.waiters.delete(w.clientId);
      }
    });
  }

  get size(): number {
    return this.waiters.size;
  }
}
