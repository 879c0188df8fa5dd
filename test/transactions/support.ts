// Differential scripts over several connections: the same commands go to real Redis and to Sluice,
// each on the connection named by its index, and every reply is compared byte for byte. WATCH
// needs this: one connection watches while another writes.

import type { Test } from 'tap';
import type { DiffPair } from '../support/differential';
import { RawClient } from '../support/resp';

export type Arg = string | Buffer;

/** One command on connection `on` (0 by default); `mask` maps both replies to what must match. */
export interface MultiStep {
  readonly cmd: Arg[];
  readonly on?: number;
  readonly mask?: (reply: Buffer) => string;
  /** Wait this long (ms) before sending, e.g. for a key to expire. */
  readonly sleepMs?: number;
}

export type Script = ReadonlyArray<Arg[] | MultiStep>;

/** Parallel connections to both servers. */
export class Connections {
  private constructor(
    private readonly redis: RawClient[],
    private readonly sluice: RawClient[],
  ) {}

  static async open(pair: DiffPair, count: number, options: { resp?: 2 | 3 } = {}): Promise<Connections> {
    const redis: RawClient[] = [];
    const sluice: RawClient[] = [];
    for (let i = 0; i < count; i++) {
      const [r, s] = await Promise.all([RawClient.connect(pair.redis.port), RawClient.connect(pair.sluice.port)]);
      redis.push(r);
      sluice.push(s);
      if (options.resp === 3) await Promise.all([r.call('HELLO', '3'), s.call('HELLO', '3')]);
    }
    return new Connections(redis, sluice);
  }

  /** Both replies of one command on connection `on`, Redis's first. */
  async both(on: number, ...cmd: Arg[]): Promise<[Buffer, Buffer]> {
    return Promise.all([this.redis[on]!.call(...cmd), this.sluice[on]!.call(...cmd)]);
  }

  /** Run a script, comparing every reply; `label` prefixes the assertion names. */
  async run(t: Test, script: Script, label = ''): Promise<void> {
    for (const raw of script) {
      const step: MultiStep = Array.isArray(raw) ? { cmd: raw } : raw;
      if (step.sleepMs !== undefined) await new Promise((r) => setTimeout(r, step.sleepMs));
      const on = step.on ?? 0;
      const [expected, actual] = await this.both(on, ...step.cmd);
      const show = (b: Buffer) => (step.mask ? step.mask(b) : b.toString('latin1'));
      t.equal(show(actual), show(expected), `${label}[${on}] ${describe(step.cmd)}`);
    }
  }

  /** The next reply on one side's connection `on` (monitor lines, pushes). */
  read(on: number, side: 'redis' | 'sluice'): Promise<Buffer> {
    return (side === 'redis' ? this.redis : this.sluice)[on]!.readReply();
  }

  close(): void {
    for (const c of [...this.redis, ...this.sluice]) c.close();
  }
}

function describe(cmd: Arg[]): string {
  const text = cmd.map((a) => (typeof a === 'string' ? a : `<${a.length} bytes>`)).join(' ');
  return text.length > 100 ? text.slice(0, 97) + '...' : text;
}

/** A step on connection `on`. */
export function on(index: number, ...cmd: Arg[]): MultiStep {
  return { cmd, on: index };
}

/** A step sent after a pause. */
export function after(sleepMs: number, ...cmd: Arg[]): MultiStep {
  return { cmd, sleepMs };
}
