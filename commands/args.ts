// Argument parsing with Redis's rules and error texts. Functions named ...OrReply write the error
// reply themselves and return null, so the caller just returns.

import { ERR } from './errors';
import type { Reply } from './types';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Lower-cased latin1 text of an argument, for option keywords. */
export function keyword(arg: Buffer): string {
  return arg.toString('latin1').toLowerCase();
}

/** An argument as a key (latin1 string holding its exact bytes). */
export function keyOf(arg: Buffer): string {
  return arg.toString('latin1');
}

/**
 * Parse text as a signed 64-bit integer with Redis's string2ll rules (no '+', no spaces, no leading
 * zeros). Numbers beyond 2^53 come back as bigint so no precision is lost; null when invalid.
 */
export function parseInt64(text: string): number | bigint | null {
  const n = text.length;
  if (n === 0 || n > 20) return null;
  if (text === '0') return 0;
  let i = 0;
  if (text.charCodeAt(0) === 0x2d) {
    i = 1;
    if (n === 1) return null;
  }
  const first = text.charCodeAt(i);
  if (first < 0x31 || first > 0x39) return null;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c < 0x30 || c > 0x39) return null;
  }
  if (n - i < 16) return Number(text);
  const big = BigInt(text);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

/** An argument as a 64-bit integer, or the "not an integer" error. */
export function intOrReply(out: Reply, arg: Buffer, message: string = ERR.notInteger): number | bigint | null {
  const value = parseInt64(arg.toString('latin1'));
  if (value === null) out.error(message);
  return value;
}

/** An argument as an integer that fits a JS safe integer (counts, indexes, times), or the error. */
export function safeIntOrReply(out: Reply, arg: Buffer, message: string = ERR.notInteger): number | null {
  const value = parseInt64(arg.toString('latin1'));
  if (value === null || typeof value === 'bigint') {
    out.error(message);
    return null;
  }
  return value;
}

/**
 * Parse a double with Redis's rules (strtold over the whole text: no spaces, no empty string;
 * "inf"/"-inf" accepted, "nan" refused). Null when invalid.
 */
export function parseDouble(text: string): number | null {
  if (text.length === 0 || text.length > 5000) return null;
  const c0 = text.charCodeAt(0);
  if (c0 === 0x20 || (c0 >= 0x09 && c0 <= 0x0d)) return null;
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) && !/^[+-]?0x[0-9a-f]+(\.[0-9a-f]*)?(p[+-]?\d+)?$/i.test(text)) {
    return null;
  }
  const value = /0x/i.test(text) ? parseHexFloat(text) : Number(text);
  return Number.isNaN(value) ? null : value;
}

function parseHexFloat(text: string): number {
  const m = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(text);
  if (m === null) return NaN;
  const sign = m[1] === '-' ? -1 : 1;
  const whole = parseInt(m[2] || '0', 16);
  const frac = m[3] ? parseInt(m[3], 16) / 16 ** m[3].length : 0;
  const exp = m[4] ? Number(m[4]) : 0;
  return sign * (whole + frac) * 2 ** exp;
}

/**
 * Redis's glob matching (stringmatchlen in util.c), step for step, over latin1 strings (one char per
 * byte): * ? [abc] [^a-z] and \ escapes. The edges follow Redis, not a textbook glob:
 * - the empty string is matched by the empty pattern only: not even "*" matches it (KEYS and SCAN
 *   treat a lone "*" as "everything" before matching, so there it does);
 * - "[a-]" is a range from 'a' to ']' in a class that never closes; an unterminated "[abc" ends
 *   the class at the end of the pattern; a range may be written high to low ("[z-a]");
 * - range bounds and the character compared are C's signed chars, so a byte from 0x80 up counts
 *   as negative ("[a-\xff]" spans -1..'a');
 * - a trailing backslash is a literal backslash; inside a class, an escaped character is compared
 *   case-sensitively even when matching without case;
 * - nocase folds ASCII letters only (C's tolower in the C locale).
 */
export function globMatch(pattern: string, text: string, nocase = false): boolean {
  return matchFrom(pattern, 0, text, 0, nocase, 0, { skipLongerMatches: false });
}

/** Redis's skipLongerMatches: once the rest after a '*' matched nowhere, earlier stars need not try longer. */
interface MatchState {
  skipLongerMatches: boolean;
}

function matchFrom(p: string, pi: number, s: string, si: number, nocase: boolean, nesting: number, state: MatchState): boolean {
  // Protection against abusive patterns, as in Redis.
  if (nesting > 1000) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    switch (p[pi]) {
      case '*': {
        while (pi + 1 < plen && p[pi + 1] === '*') pi++;
        if (pi + 1 === plen) return true;
        for (; si < slen; si++) {
          if (matchFrom(p, pi + 1, s, si, nocase, nesting + 1, state)) return true;
          if (state.skipLongerMatches) return false;
        }
        state.skipLongerMatches = true;
        return false;
      }
      case '?':
        si++;
        break;
      case '[': {
        pi++;
        const not = p[pi] === '^';
        if (not) pi++;
        let match = false;
        for (;;) {
          if (p[pi] === '\\' && plen - pi >= 2) {
            pi++;
            if (p[pi] === s[si]) match = true;
          } else if (p[pi] === ']') {
            break;
          } else if (pi >= plen) {
            // The pattern ended inside the class: the class ends there.
            pi--;
            break;
          } else if (plen - pi >= 3 && p[pi + 1] === '-') {
            let start = signedChar(p.charCodeAt(pi));
            let end = signedChar(p.charCodeAt(pi + 2));
            let c = signedChar(s.charCodeAt(si));
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lowerCode(start);
              end = lowerCode(end);
              c = lowerCode(c);
            }
            pi += 2;
            if (c >= start && c <= end) match = true;
          } else if (sameChar(p.charCodeAt(pi), s.charCodeAt(si), nocase)) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        break;
      }
      default:
        // A backslash makes the next pattern character literal; a trailing one is itself.
        if (p[pi] === '\\' && plen - pi >= 2) pi++;
        if (!sameChar(p.charCodeAt(pi), s.charCodeAt(si), nocase)) return false;
        si++;
        break;
    }
    pi++;
    // The string is used up: stars left in the pattern match the empty rest.
    if (si === slen) {
      while (p[pi] === '*') pi++;
      break;
    }
  }
  return pi >= plen && si === slen;
}

/** A latin1 char code as C's (signed) char on the platforms Redis runs on. */
function signedChar(code: number): number {
  return code > 127 ? code - 256 : code;
}

function sameChar(a: number, b: number, nocase: boolean): boolean {
  return nocase ? lowerCode(a) === lowerCode(b) : a === b;
}

function lowerCode(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}
