// Inline commands ("PING\r\n" typed into telnet or nc), split the way Redis's sdssplitargs does:
// spaces separate arguments; "double quotes" understand \n \r \t \b \a \\ \" and \xHH escapes;
// 'single quotes' understand \'; a closing quote must be followed by a space or the end of line.

/** The arguments of one inline line, or null when its quotes are unbalanced. */
export function splitInlineArgs(line: Buffer): Buffer[] | null {
  const args: Buffer[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line[i]!)) i++;
    if (i >= n) return args;
    const current: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      if (inDouble) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === 0x5c && i + 3 < n && line[i + 1] === 0x78 && isHex(line[i + 2]!) && isHex(line[i + 3]!)) {
          current.push(hexValue(line[i + 2]!) * 16 + hexValue(line[i + 3]!));
          i += 3;
        } else if (c === 0x5c && i + 1 < n) {
          i++;
          current.push(unescape(line[i]!));
        } else if (c === 0x22) {
          // The closing quote must be followed by a space or nothing.
          if (i + 1 < n && !isSpace(line[i + 1]!)) return null;
          done = true;
        } else {
          current.push(c);
        }
      } else if (inSingle) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === 0x5c && i + 1 < n && line[i + 1] === 0x27) {
          i++;
          current.push(0x27);
        } else if (c === 0x27) {
          if (i + 1 < n && !isSpace(line[i + 1]!)) return null;
          done = true;
        } else {
          current.push(c);
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        const c = line[i]!;
        if (isSpace(c)) {
          done = true;
        } else if (c === 0x22) {
          inDouble = true;
        } else if (c === 0x27) {
          inSingle = true;
        } else {
          current.push(c);
        }
      }
      if (i < n) i++;
    }
    args.push(Buffer.from(current));
  }
}

function isSpace(c: number): boolean {
  // C isspace(): space, \t, \n, \v, \f, \r
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function hexValue(c: number): number {
  if (c <= 0x39) return c - 0x30;
  if (c >= 0x61) return c - 0x61 + 10;
  return c - 0x41 + 10;
}

function unescape(c: number): number {
  switch (c) {
    case 0x6e: return 0x0a; // \n
    case 0x72: return 0x0d; // \r
    case 0x74: return 0x09; // \t
    case 0x62: return 0x08; // \b
    case 0x61: return 0x07; // \a
    default: return c;
  }
}
