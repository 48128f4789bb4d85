import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractMessage } from '@aiops/ml';
import { MessageUnits } from './message-units.ts';

/** The units MessageUnits holds, as a string, and each [from, to) piece of it as text() gives it. */
function loaded(units: MessageUnits, line: string, extract: boolean): string {
  units.load(line, extract);
  const message = String.fromCharCode(...units.units.subarray(units.start, units.end));
  expect(units.units[units.end]).toBe(0); // the sentinel
  for (let from = units.start; from <= units.end; from += 3) expect(units.text(from, Math.min(units.end, from + 5))).toBe(message.slice(from - units.start, from - units.start + 5));
  return message;
}

describe('MessageUnits', () => {
  it("holds extractMessage's message, for headers and [pid]s anywhere", () => {
    const units = new MessageUnits();
    const pieces = fc.constantFrom(
      'Jun 14 15:16:01 host sshd[123]: ', '<34>Oct 11 22:14:15 mymachine su: ', '<165>1 2003-10-11T22:14:15.003Z host app 1 ID47 - ', '2017-05-16 00:00:00.008 ',
      '2016-09-28T04:30:30Z [Sun Dec 04 04:47:44 2005] ', '[Sun Dec 04 04:47:44 2005] ', 'sshd[42]', 'a.b-c[7]:', '[12]', 'x [3]', '_[9]', '9[1]', 'é[5]',
      'kernel: [ 12.5]', 'foo[]', 'bar[1', '[', ']', ' ', 'word', '-', '.', '123',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 10 }).map((p) => p.join('')), fc.boolean(), (line, extract) => loaded(units, line, extract) === (extract ? extractMessage(line) : line)),
      { numRuns: 3000 },
    );
  });

  it('grows for a long line', () => {
    const units = new MessageUnits();
    const line = `Jun 14 15:16:01 host cron[1]: ${'x[2] '.repeat(600)}`;
    expect(loaded(units, line, true)).toBe(extractMessage(line));
  });
});
