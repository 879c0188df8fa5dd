// What AUTH, HELLO and CLIENT share about a connection's identity: hiding secrets from MONITOR and
// the slow log, and Redis's check of client names and library attributes. Users and passwords
// themselves are the ACL's (ServerApi.acl).

/** What MONITOR and the slow log show instead of a secret (Redis's redactClientCommandArgument). */
const REDACTED = Buffer.from('(redacted)');

/** Hide argv[index] from MONITOR and the slow log, which see argv after the handler ran. */
export function redact(argv: Buffer[], index: number): void {
  if (index < argv.length) argv[index] = REDACTED;
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
