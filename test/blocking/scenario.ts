// Scripts of several raw connections to one server, for blocking tests: a client sends a command
// that blocks, others write, and the transcript records every reply (or that none came) in order.
// The same script run on Redis and on Sluice must give the same transcript, byte for byte.

import { RawClient, encodeCommand } from '../support/resp';

export type Arg = string | Buffer;

/**
 * One step:
 * - { c, cmd }: client c sends cmd and the step records its reply;
 * - { c, send }: client c sends cmd without waiting (it blocks, or its reply is read later);
 * - { c, read }: record client c's next reply;
 * - { c, none }: record that client c has no reply within that many ms (it is still blocked);
 * - { blocked: n }: wait until the server reports n blocked clients (recorded only on failure);
 * - { c, close }: close client c;
 * - { sleep: ms }.
 * In cmd, "$id:x" stands for client x's CLIENT ID.
 */
export type Step =
  | { readonly c: string; readonly cmd: readonly Arg[] }
  | { readonly c: string; readonly send: readonly Arg[] }
  | { readonly c: string; readonly read: true }
  | { readonly c: string; readonly none: number }
  | { readonly c: string; readonly close: true }
  | { readonly blocked: number }
  | { readonly sleep: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Run `steps` with fresh connections (a..e and the control connection) to the server on `port`. */
export async function runScenario(port: number, steps: readonly Step[], options: { resp?: 2 | 3 } = {}): Promise<string[]> {
  const names = new Set<string>();
  for (const step of steps) if ('c' in step) names.add(step.c);
  const control = await RawClient.connect(port);
  const clients = new Map<string, RawClient>();
  const ids = new Map<string, string>();
  const transcript: string[] = [];
  try {
    await control.call('FLUSHALL');
    for (const name of names) {
      const client = await RawClient.connect(port);
      clients.set(name, client);
      if (options.resp === 3) await client.call('HELLO', '3');
      ids.set(name, /:(\d+)/.exec((await client.call('CLIENT', 'ID')).toString('latin1'))![1]!);
    }
    const args = (cmd: readonly Arg[]) => cmd.map((a) => (typeof a === 'string' && a.startsWith('$id:') ? ids.get(a.slice(4))! : a));
    const show = (b: Buffer) => b.toString('latin1');
    for (const step of steps) {
      if ('sleep' in step) {
        await sleep(step.sleep);
      } else if ('blocked' in step) {
        // Long enough for a starved server on a loaded machine; it ends as soon as the count is seen.
        const deadline = Date.now() + 60000;
        let seen = '';
        for (;;) {
          seen = /blocked_clients:(\d+)/.exec(show(await control.call('INFO', 'clients')))?.[1] ?? '?';
          if (seen === String(step.blocked) || Date.now() > deadline) break;
          await sleep(5);
        }
        if (seen !== String(step.blocked)) transcript.push(`blocked_clients ${seen}, expected ${step.blocked}`);
      } else {
        const client = clients.get(step.c)!;
        if ('cmd' in step) {
          transcript.push(`${step.c} ${describe(step.cmd)} -> ${show(await client.call(...args(step.cmd)))}`);
        } else if ('send' in step) {
          client.write(encodeCommand(args(step.send)));
        } else if ('read' in step) {
          transcript.push(`${step.c} reads ${await client.readReply().then(show, () => '(nothing)')}`);
        } else if ('none' in step) {
          transcript.push(`${step.c} waits ${await client.readReply(step.none).then(show, () => '(nothing)')}`);
        } else {
          client.close();
          clients.delete(step.c);
        }
      }
    }
  } finally {
    for (const client of clients.values()) client.close();
    control.close();
  }
  return transcript;
}

function describe(cmd: readonly Arg[]): string {
  return cmd.map((a) => (typeof a === 'string' ? a : `<${a.length} bytes>`)).join(' ');
}
