// Who a connection is: the checks AUTH, HELLO and CLIENT share for passwords, client names and
// library attributes. Only the "default" user exists until ACLs land; its password is requirepass
// (none means "nopass": any password is accepted, as in Redis).

import { createHash, timingSafeEqual } from 'node:crypto';
import type { ClientApi, ServerApi } from '../types';

/** What MONITOR and the slow log show instead of a secret (Redis's redactClientCommandArgument). */
const REDACTED = Buffer.from('(redacted)');

/** Hide argv[index] from MONITOR and the slow log, which see argv after the handler ran. */
export function redact(argv: Buffer[], index: number): void {
  if (index < argv.length) argv[index] = REDACTED;
}

/** The configured requirepass, as bytes; empty when the default user needs no password. */
function requirepass(server: ServerApi): Buffer {
  const found = server.configApi.get('requirepass')[0];
  return Buffer.from(found === undefined ? '' : found[1], 'latin1');
}

/**
 * Check a username/password pair and, when it is right, make the connection that user. Like
 * Redis, a failed attempt leaves an already authenticated connection as it was.
 */
export function authenticate(client: ClientApi, server: ServerApi, username: Buffer, password: Buffer): boolean {
  if (username.toString('latin1') !== 'default') return false;
  const expected = requirepass(server);
  // Compare digests so the time taken says nothing about the password.
  if (expected.length > 0 && !timingSafeEqual(sha256(expected), sha256(password))) return false;
  client.authenticated = true;
  client.user = 'default';
  return true;
}

/** Whether the default user has no password (AUTH <password> is then a configuration mistake). */
export function defaultUserHasNoPassword(server: ServerApi): boolean {
  return requirepass(server).length === 0;
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/**
 * Redis's client name check, also applied to library attributes: printable ASCII without spaces
 * (NUL included in the refusal), so that a CLIENT LIST line still splits on spaces.
 */
export function validClientAttr(value: Buffer): boolean {
  for (const c of value) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}
