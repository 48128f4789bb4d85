import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_LINE_CHARS, sanitizeLogLine } from './sanitize.ts';
import { extractMessage, HEADER_PATTERNS, maskLogChunk, maskLogChunkForTokens, maskLogMessage, maskLogMessageByPasses, stripPidSuffixesByRegex } from './log-message.ts';
import { normalizeSeverity } from './severity.ts';
import { LogTokenizer } from './tokenizer.ts';

describe('sanitizeLogLine', () => {
  it('caps a 1 MB line and says so', () => {
    const result = sanitizeLogLine('error '.repeat(200_000));
    expect(result).toMatchObject({ ok: true, truncated: true });
    if (result.ok) expect(result.text.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
  });

  it('rejects empty lines and binary junk with a reason', () => {
    expect(sanitizeLogLine('   \t ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(sanitizeLogLine('\u0000\u0001\u0002\u0003abc')).toMatchObject({ ok: false, reason: 'binary' });
    // Invalid UTF-8 decodes to U+FFFD; mostly-invalid bytes are binary.
    const decoded = new TextDecoder().decode(Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]));
    expect(sanitizeLogLine(decoded)).toMatchObject({ ok: false, reason: 'binary' });
  });

  it('keeps text with a few stray control characters, spaced out', () => {
    expect(sanitizeLogLine('disk\u0007full on /dev/sda')).toEqual({ ok: true, text: 'disk full on /dev/sda', truncated: false });
  });

  it('never throws, whatever the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 6000 }), (s) => {
      const r = sanitizeLogLine(s);
      return r.ok ? r.text.length > 0 && r.text.length <= MAX_LINE_CHARS : r.reason === 'empty' || r.reason === 'binary';
    }));
  });
});

describe('extractMessage and maskLogMessage', () => {
  it('strips a syslog header and the pid', () => {
    expect(extractMessage('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; rhost=218.188.2.4'))
      .toBe('authentication failure; rhost=218.188.2.4');
    expect(extractMessage('2017-05-16 00:00:00.008 25746 INFO nova.compute [req-1] Took 1.2 seconds'))
      .toBe('25746 INFO nova.compute [req-1] Took 1.2 seconds');
  });

  it('masks addresses, ids, paths and numbers', () => {
    expect(maskLogMessage('Failed password for root from 173.234.31.186 port 38926 ssh2'))
      .toBe('Failed password for root from <ip> port <num> ssh2');
    expect(maskLogMessage('Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106'))
      .toBe('Receiving block <blk> src: / <ip>');
    expect(maskLogMessage('open /var/log/messages failed, id 3f2a9c1b7e and 0xdeadbeef, uuid 123e4567-e89b-12d3-a456-426614174000'))
      .toBe('open <path> failed, id <hex> and <hex> , uuid <uuid>');
  });
});

describe('LogTokenizer', () => {
  it('keeps the words that decide a log class and drops ordinary stop words', () => {
    const tokens = new LogTokenizer().tokenize('Error: cannot open the file, permission denied; it is not up, out of memory <ip>');
    expect(tokens).toEqual(['error', 'cannot', 'open', 'file', 'permission', 'denied', 'not', 'up', 'out', 'memory', '<ip>']);
  });

  it('stems words but not placeholders when asked', () => {
    expect(new LogTokenizer({ stem: true }).tokenize('failed failures <num>')).toEqual(['fail', 'failur', '<num>']);
  });
});

describe('maskLogMessage, chunk by chunk', () => {
  // Log-ish pieces, so that the generated strings hit every mask and their borders.
  const piece = fc.constantFrom('10.0.0.1', ':8080', 'blk_-123', '0xdeadbeef', 'a1b2c3d4e5', '/var/log/x', 'user@example.com',
    'http://h/p?q=1', '00:1a:2b:3c:4d:5e', 'fe80:0:0:0:1:2', '123e4567-e89b-12d3-a456-426614174000', '-42', '+3.5', 'error', '=', '"', '(', ' ', '\t', 'x', '-', '/');
  it('equals the whole-message passes on any mix of log pieces', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), (s) => maskLogMessage(s) === maskLogMessageByPasses(s)), { numRuns: 2000 });
  });
  it('equals them on arbitrary text too', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => maskLogMessage(s) === maskLogMessageByPasses(s)), { numRuns: 2000 });
  });
});

describe('maskLogChunk', () => {
  // Chunks near the borders of its no-mask scan: digits after letters or not, hex words of 5–7 characters, 2–5
  // colons and dashes, `blk_`, and units beyond ASCII (no word characters for \b).
  const unit = fc.constantFrom('a', 'f', 'F', 'g', 'Z', 'x', '_', '0', '1', '9', ':', '-', '.', '/', '@', '=', '+', '(', '"', 'blk_', '0x', 'é', 'ſ', 'K', 'ab', 'cafe', 'deadbeef', 'abcdabcdabcd', 'a:', 'ab-', "'", '~');
  it('equals the passes on every whitespace-free chunk', () => {
    fc.assert(fc.property(fc.array(unit, { maxLength: 24 }).map((u) => u.join('')), (s) => maskLogChunk(s) === maskLogMessageByPasses(s)), { numRuns: 20_000 });
  });
  it('leaves only the spaces to collapse when asked for tokens', () => {
    fc.assert(fc.property(fc.array(unit, { maxLength: 24 }).map((u) => u.join('')), (s) => maskLogChunkForTokens(s).replace(/ +/g, ' ').trim() === maskLogChunk(s)), { numRuns: 5000 });
  });
  it('masks the digit-free shapes at each separator count its scan lets through', () => {
    // IPv6 at 3 colons, a UUID at 4 dashes, a MAC at 5 separators of both kinds, a hex word at 6 characters, paths
    // after a lead unit and two of `.~`, an e-mail, a URL.
    for (const chunk of ['a:b:c:d', 'deadbeef-dead-beef-dead-beefdeadbeef', 'aa:bb:cc-dd-ee-ff', 'ab-cd-ef-ab-cd-ef', 'x=abcde1', 'blk_9', 'x=~./a', "'/a", 'a@b.c', 'h://x', 'abcd:abcd:abcd:abcd']) {
      expect(maskLogChunk(chunk)).toBe(maskLogMessageByPasses(chunk));
      expect(maskLogChunk(chunk)).not.toBe(chunk);
    }
  });
});

describe('LogTokenizer scan', () => {
  it('finds the tokens the regex finds, Unicode and placeholders included', () => {
    const tokenizer = new LogTokenizer();
    expect(tokenizer.tokenize('<ip> <Bad <x>y Ünïcode 日本語 a_b 𝒳𝒴 x')).toEqual(tokenizer.tokenizeByRegex('<ip> <Bad <x>y Ünïcode 日本語 a_b 𝒳𝒴 x'));
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => tokenizer.tokenize(s).join('\u0001') === tokenizer.tokenizeByRegex(s).join('\u0001')), { numRuns: 2000 });
  });
});

describe('normalizeSeverity', () => {
  it('folds syslog, logger and numeric spellings onto five levels and refuses the rest', () => {
    expect(['err', 'ERROR', 'E', '3'].map(normalizeSeverity)).toEqual(['error', 'error', 'error', 'error']);
    expect(['crit', 'FATAL', 'SEVERE', 'emerg', '0'].map(normalizeSeverity)).toEqual(Array(5).fill('fatal'));
    expect(['WARN', 'warning', '4'].map(normalizeSeverity)).toEqual(['warn', 'warn', 'warn']);
    expect(['notice', 'INFO', '6'].map(normalizeSeverity)).toEqual(['info', 'info', 'info']);
    expect(normalizeSeverity('debug')).toBe('debug');
    expect([normalizeSeverity('combo'), normalizeSeverity(''), normalizeSeverity(undefined), normalizeSeverity('toString')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('stripPidSuffixes', () => {
  it('removes the same [pid] suffixes as the regex, on any text of log-ish characters', () => {
    const alphabet = fc.constantFrom('a', 'Z', '_', '1', '0', '.', '-', '[', ']', ' ', ':', '(', ')', 'é');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join('')), (text) => {
        // Through extractMessage: a text with no header is only pid-stripped.
        if (/^(?:<|\[|\d)/.test(text)) return true;
        expect(extractMessage(text)).toBe(stripPidSuffixesByRegex(text));
        return true;
      }),
      { numRuns: 3000 },
    );
    expect(extractMessage('kernel: a.b-c[12] x[3]y _[4] 9[5] [6] a[7][8]')).toBe('kernel: a.b-c xy _ 9[5] [6] a[8]');
  });
});

describe('extractMessage', () => {
  it('strips the same headers as trying every header regex on every line', () => {
    const { SYSLOG_HEADER, RFC5424_HEADER, LEADING_ISO_TIMESTAMP, LEADING_BRACKET_TIMESTAMP } = HEADER_PATTERNS;
    const reference = (line: string): string => {
      const syslog = SYSLOG_HEADER.exec(line) ?? RFC5424_HEADER.exec(line);
      const message = syslog ? line.slice(syslog[0].length) : line.replace(LEADING_ISO_TIMESTAMP, '').replace(LEADING_BRACKET_TIMESTAMP, '');
      return stripPidSuffixesByRegex(message);
    };
    const heads = ['<34>', '<13>1 ', 'Jun 14 15:16:01 combo sshd[42]: ', 'Dec  4 04:47:44 ', '1 2018-03-24T08:59:37-07:00 host app 1 - - ', '2017-05-16 00:00:00.008 ', '<5>2016-09-28T04:30:30Z ', '[Sun Dec 04 04:47:44 2005] ', '[notice] ', '081109 ', ''];
    fc.assert(
      fc.property(fc.constantFrom(...heads), fc.constantFrom(...heads), fc.string({ maxLength: 20 }), (a, b, rest) => {
        const line = `${a}${b}${rest}`;
        expect(extractMessage(line)).toBe(reference(line));
      }),
      { numRuns: 3000 },
    );
  });
});
