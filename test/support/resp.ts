// A raw RESP client for tests: sends commands and returns each reply's exact bytes, RESP2 or RESP3,
// so differential tests can compare Sluice with Redis byte for byte.

import { createConnection, type Socket } from 'node:net';

/** Encode a command as a RESP multibulk frame. */
export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * Length in bytes of the first complete RESP2/RESP3 reply in `buf` starting at `start`, or -1 when
 * it is not complete yet. Attributes (|) are counted together with the reply they annotate.
 */
export function replyLength(buf: Buffer, start = 0): number {
  if (start >= buf.length) return -1;
  const lineEnd = buf.indexOf('\r\n', start);
  if (lineEnd === -1) return -1;
  const type = String.fromCharCode(buf[start]!);
  const header = buf.toString('latin1', start + 1, lineEnd);
  const afterHeader = lineEnd + 2;
  switch (type) {
    case '+': case '-': case ':': case '_': case ',': case '#': case '(':
      return afterHeader - start;
    case '$': case '=': case '!': {
      const n = Number(header);
      if (n < 0) return afterHeader - start;
      const end = afterHeader + n + 2;
      return end <= buf.length ? end - start : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      const count = Number(header);
      if (count < 0) return afterHeader - start;
      const items = type === '%' || type === '|' ? count * 2 : count;
      let pos = afterHeader;
      for (let i = 0; i < items; i++) {
        const len = replyLength(buf, pos);
        if (len === -1) return -1;
        pos += len;
      }
      if (type === '|') {
        const len = replyLength(buf, pos);
        if (len === -1) return -1;
        pos += len;
      }
      return pos - start;
    }
    default:
      throw new Error(`not a RESP reply at byte ${start}: ${JSON.stringify(buf.toString('latin1', start, start + 40))}`);
  }
}

/** How long a reply may take before a test calls the server stuck (well inside tap's 300 s per file, package.json). */
export const REPLY_TIMEOUT_MS = 60_000;

/** A connection that sends commands and reads replies as raw bytes. */
export class RawClient {
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host, port });
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private waitForData(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Send raw bytes as they are. */
  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Send one command and return its reply's raw bytes. */
  async call(...args: Array<string | Buffer>): Promise<Buffer> {
    this.write(encodeCommand(args));
    return this.readReply();
  }

  /**
   * The next complete reply's bytes; rejects when the connection closes or nothing comes in time.
   * The default wait is long on purpose: on a loaded machine a nice-19 server can be starved of CPU
   * for seconds, and a test that gives up early then reports a healthy server as broken. Tests that
   * expect no reply pass their own short timeout.
   */
  async readReply(timeoutMs = REPLY_TIMEOUT_MS): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const len = replyLength(this.buffer);
      if (len !== -1) {
        const reply = this.buffer.subarray(0, len);
        this.buffer = this.buffer.subarray(len);
        return Buffer.from(reply);
      }
      if (this.closed) throw new Error(`connection closed; unparsed: ${JSON.stringify(this.buffer.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.waitForData(left))) throw new Error('timed out waiting for a reply');
    }
  }

  /** Everything received until the server closes the connection (or the timeout passes). */
  async readUntilClose(timeoutMs = 5000): Promise<{ bytes: Buffer; closed: boolean }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await this.waitForData(left);
    }
    const bytes = this.buffer;
    this.buffer = Buffer.alloc(0);
    return { bytes, closed: this.closed };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
