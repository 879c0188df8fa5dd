// Run stream command handlers in process, without a server: an Engine, a Ctx whose replies go to a
// ReplyWriter, and effects applied through engine.commit (so they are the same effects the server
// would log). Lets tests set up state a command cannot reach yet (consumer groups made by effects)
// and check replies byte for byte.

import type { CommandSpec, Ctx } from '../../commands/types';
import { commandTable } from '../../commands/table';
import { ReplyWriter } from '../../server/resp/writer';
import type { Effect } from '../../storage/effects';
import { Engine } from '../../storage/engine';

/** The directives stream handlers read, at Redis's defaults; a test may change them. */
export const CONFIG: Record<string, number> = { 'stream-node-max-bytes': 4096, 'stream-node-max-entries': 100, 'stream-idmp-duration': 100, 'stream-idmp-maxsize': 100 };

export class Harness {
  readonly engine = new Engine({ databases: 1 });
  /** Every effect committed by the commands run, in order. */
  readonly effects: Effect[] = [];
  nowMs = 1_700_000_000_000;
  resp: 2 | 3 = 2;

  /** Run one command; its reply as latin1 text. */
  run(...args: string[]): string {
    const spec = commandTable().get(args[0]!.toLowerCase()) as CommandSpec | undefined;
    if (spec?.handler === undefined) throw new Error(`no handler for ${args[0]}`);
    const out = new ReplyWriter();
    out.resp = this.resp;
    const effects = this.effects;
    const engine = this.engine;
    const ctx = {
      out,
      client: { dbIndex: 0, noTouch: true },
      server: { stats: { keyspaceHits: 0, keyspaceMisses: 0 }, configApi: { int: (name: string) => CONFIG[name]! } },
      engine,
      nowMs: this.nowMs,
      mayBlock: false,
      commit(effect: Effect) {
        effects.push(effect);
        engine.commit(effect);
      },
      block() {
        throw new Error('the harness does not block');
      },
      // Keyspace notifications go nowhere here (no subscribers in-process).
      notify() {},
    } as unknown as Ctx;
    spec.handler(ctx, args.map((a) => Buffer.from(a, 'latin1')));
    return out.take()?.toString('latin1') ?? '';
  }

  /** Apply an effect directly (state no command can make yet). */
  apply(effect: Effect): void {
    this.engine.commit(effect);
  }
}
