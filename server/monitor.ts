// MONITOR lines: +<unix seconds>.<microseconds> [<db> <client address>] "arg" "arg" ...

/** Redis's sdscatrepr quoting of one argument. */
export function reprArg(arg: Buffer): string {
  let out = '"';
  for (const c of arg) {
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return out + '"';
}

/** The wall clock in microseconds (Redis prints gettimeofday's seconds and microseconds). */
export function nowUsec(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** One MONITOR line for a command run by the client at `addr` against database `db`. */
export function monitorLine(timeUsec: number, db: number, addr: string, argv: readonly Buffer[]): Buffer {
  const sec = Math.floor(timeUsec / 1e6);
  const usec = String(timeUsec % 1e6).padStart(6, '0');
  const args = argv.map(reprArg).join(' ');
  return Buffer.from(`+${sec}.${usec} [${db} ${addr}] ${args}\r\n`, 'latin1');
}
