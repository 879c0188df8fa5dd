// Reply masks and helpers for the keyspace tests: replies whose order or timing legitimately
// differs between Redis and Sluice (KEYS order, SCAN pages, TTLs counting down) are compared in a
// form that keeps what must match: the wire shape and the set of elements.

import { RawClient } from '../support/resp';
import { decodeReply, show, text, items } from '../command/resp-value';

/** An array reply with its elements sorted (KEYS, whose order follows each server's own hashing). */
export function sortedArray(reply: Buffer): string {
  const value = decodeReply(reply);
  if (value.t !== 'array') return show(value);
  return `${value.t}[${value.v.map(show).sort().join(', ')}]`;
}

/** An integer reply within [min, max] (a countdown read at a slightly different moment), else the bytes. */
export function intWithin(min: number, max: number): (reply: Buffer) => string {
  return (reply) => {
    const text = reply.toString('latin1');
    if (!text.startsWith(':')) return text;
    const n = Number(text.slice(1, -2));
    return n >= min && n <= max ? `:[${min}..${max}]` : text;
  };
}

/** A SCAN reply's shape: a 2-array of a bulk cursor and an array, cursor and keys left out. */
export function scanShape(reply: Buffer): string {
  const value = decodeReply(reply);
  if (value.t !== 'array' || value.v.length !== 2) return show(value);
  const [cursor, keys] = value.v as [ReturnType<typeof decodeReply>, ReturnType<typeof decodeReply>];
  return `array[${cursor.t}, ${keys.t}]`;
}

/** Run a whole SCAN iteration with extra options; returns the keys (sorted, duplicates kept) and the calls made. */
export async function scanAll(client: RawClient, options: string[] = [], maxCalls = 100000): Promise<{ keys: string[]; calls: number }> {
  const keys: string[] = [];
  let cursor = '0';
  let calls = 0;
  do {
    const reply = decodeReply(await client.call('SCAN', cursor, ...options));
    const [next, page] = items(reply) as [ReturnType<typeof decodeReply>, ReturnType<typeof decodeReply>];
    cursor = text(next);
    for (const key of items(page)) keys.push(text(key));
    if (++calls > maxCalls) throw new Error('SCAN did not finish');
  } while (cursor !== '0');
  return { keys: keys.sort(), calls };
}
