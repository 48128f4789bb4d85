import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelsDir } from '@aiops/datasets';
import { countByClass, LINUX_ADDITIONS_HEADING, parseLabelingGuide, splitLinuxAdditions, placeholdersToMasked, ruleProse, type GuideExample } from '@aiops/log-classification';

// Every pattern the parser handles, in the real guide's layout.
const GUIDE = `# Labels

## Classes

- **critical**: service-impacting failures (not a rule: this section is skipped).

## Judgment rules

### Critical
- C1 Crash / core dump: core-file generation (BGL \`generating core.<*>\`, \`ciod: generated <*> core files\`)
  => critical.
- C3 Filesystem failure: \`Input/output error\` on a path => critical.
- C6 Failed start of a service: \`HALT asserted\` => critical.

### Warning
- W2 Network failures on a single connection => warning: \`Connection reset\`, \`No of tries\`.
  This holds even when the line says \`fatal:\` (sshd \`fatal: Write failed: Connection reset by peer\`).
  Only a definitive node-unreachable statement is critical (C4).
- W3 Timeouts and latency => warning: \`Slow ReadProcessor ... took Nms (threshold ...)\`, \`message repeated N times\`.
- W9 A user's job that fails => warning: \`program image too big\`. If the cause is platform I/O, it is C3 (\`Input/output error at boot\`).
- W10 A batch job that exits non-zero => warning: \`exited abnormally with [1]\`. A daemon \`Service exited\` is critical (C6).
- W13 Degraded states => warning: \`is no longer served by node\` (failover possible; \`no server\` is C3), \`GOODBYE\`,
  \`Cannot open channel to <id> at election address\`, \`****\`.

### Informational
- I2 Successful logins => informational: \`Accepted password\`, \`Connection closed by <ip> [preauth]\`, \`Accepted password\`.
- W99 A rule under another class's heading => warning: \`misfiled\`.

### Noise
- N1 DHCP (DISCOVER/OFFER, \`unknown lease\`) => noise. The exception is DHCP \`no free leases\`, which is W13.
- N3 Boot-time enumeration => noise: \`First is 0x..\`. A probe that falls back is noise too (see N3): \`probe of vesafb0 failed\`.
- N8 Continuation lines => noise: \`program interrupt: <field>....<n>\`. The header \`iar dear\` carries C1/C2.
- N12 Absent hardware => noise. Either C2 or W4 may apply to \`flaky fan\`.

### Applied the same way across systems (checked)
- Session opened/closed: Linux, OpenSSH => informational.
- \`... startup succeeded\`, \`Console: colour VGA+\`, PCI config: Linux, Thunderbird => noise.
- Mount failures: BGL Lustre, Thunderbird netfs => critical; a retried NFS mount => warning.

## Another section
- C9 Not a rule section any more => critical: \`ignored\`.
`;

const find = (examples: GuideExample[], phrase: string) => examples.filter((e) => e.phrase === phrase).map((e) => `${e.rule} ${e.label}`);

describe('placeholdersToMasked', () => {
  it('turns the guide’s variables into what masking makes of a variable', () => {
    expect(placeholdersToMasked('generating core.<*>')).toBe('generating core. <num>');
    expect(placeholdersToMasked('Slow ReadProcessor ... took Nms (threshold ...)')).toBe('Slow ReadProcessor took <num> (threshold )');
    expect(placeholdersToMasked('message repeated N times: [ Failed password ...]')).toBe('message repeated <num> times: [ Failed password ]');
    expect(placeholdersToMasked('program interrupt: <field>....<n>')).toBe('program interrupt: <num>');
    expect(placeholdersToMasked('Connection closed by <ip> [preauth]')).toBe('Connection closed by <ip> [preauth]');
    expect(placeholdersToMasked('First is 0x..')).toBe('First is <hex>');
    expect(placeholdersToMasked('mapred.* is deprecated')).toBe('mapred. is deprecated');
    expect(placeholdersToMasked('No route to Network')).toBe('No route to Network'); // a capital N inside a word stays
  });
});

describe('ruleProse', () => {
  it('is the rule’s title: up to the first phrase, arrow or colon, no unclosed parenthesis', () => {
    expect(ruleProse('Crash / core dump: core-file generation (BGL `x`) => critical.')).toBe('Crash / core dump');
    expect(ruleProse('Authentication failures of every kind => warning: `a`.')).toBe('Authentication failures of every kind');
    expect(ruleProse('DHCP (DISCOVER/OFFER, `unknown lease`) => noise.')).toBe('DHCP');
    expect(ruleProse('Environmental reading in a *critical* state (HPC `x`) => critical.')).toBe('Environmental reading in a critical state');
  });
});

describe('parseLabelingGuide on a synthetic guide', () => {
  const examples = parseLabelingGuide(GUIDE);

  it('takes each backticked phrase of a rule with its class, placeholders masked', () => {
    expect(find(examples, 'generating core.<*>')).toEqual(['C1 critical']);
    expect(examples.find((e) => e.phrase === 'generating core.<*>')!.text).toBe('generating core. <num>');
    expect(find(examples, 'Connection reset')).toEqual(['W2 warning']);
    expect(find(examples, 'fatal: Write failed: Connection reset by peer')).toEqual(['W2 warning']);
    expect(find(examples, 'Slow ReadProcessor ... took Nms (threshold ...)')).toEqual(['W3 warning']);
    expect(find(examples, 'Cannot open channel to <id> at election address')).toEqual(['W13 warning']);
    expect(find(examples, 'First is 0x..')).toEqual(['N3 noise']);
  });

  it('hands a phrase to the rule a clause names', () => {
    expect(find(examples, 'no server')).toEqual(['C3 critical']); // "`no server` is C3" inside W13
    expect(find(examples, 'no free leases')).toEqual(['W13 warning']); // "…, which is W13" inside N1
    expect(find(examples, 'Input/output error at boot')).toEqual(['C3 critical']); // "it is C3 (`…`)" inside W9
    expect(find(examples, 'Service exited')).toEqual(['C6 critical']); // a later sentence "… is critical (C6)"
    expect(find(examples, 'probe of vesafb0 failed')).toEqual(['N3 noise']); // "(see N3)" naming its own rule
    expect(find(examples, 'unknown lease')).toEqual(['N1 noise']);
    expect(find(examples, 'exited abnormally with [1]')).toEqual(['W10 warning']); // the first sentence keeps its rule
  });

  it('drops mentions, phrases of a sentence naming several rules, empty phrases, repeats and misfiled rules', () => {
    expect(find(examples, 'fatal:')).toEqual([]); // "the line says `fatal:`": a word, not an example
    expect(find(examples, 'iar dear')).toEqual([]); // "carries C1/C2"
    expect(find(examples, 'flaky fan')).toEqual([]); // names C2 and W4
    expect(find(examples, '****')).toEqual([]);
    expect(find(examples, 'Accepted password')).toEqual(['I2 informational']);
    expect(find(examples, 'misfiled')).toEqual([]);
    expect(find(examples, 'ignored')).toEqual([]); // after the class sections
    expect(examples.some((e) => e.text.includes('service-impacting'))).toBe(false);
  });

  it('reads the across-systems lines, one example per item of each `… => class` clause', () => {
    const across = examples.filter((e) => e.rule === 'across').map((e) => `${e.phrase} → ${e.label}`);
    expect(across).toEqual([
      'Session opened/closed → informational',
      '... startup succeeded → noise',
      'Console: colour VGA+ → noise',
      'PCI config → noise',
      'Mount failures → critical',
      'a retried NFS mount → warning',
    ]);
    expect(examples.find((e) => e.phrase === '... startup succeeded')!.text).toBe('startup succeeded');
  });

  it('adds the rule titles only when asked', () => {
    expect(examples.filter((e) => e.kind === 'prose')).toEqual([]);
    const withProse = parseLabelingGuide(GUIDE, { prose: true }).filter((e) => e.kind === 'prose');
    expect(withProse.map((e) => `${e.rule} ${e.text}`)).toContain('W2 Network failures on a single connection');
    expect(withProse.map((e) => e.rule)).toEqual(['C1', 'C3', 'C6', 'W2', 'W3', 'W9', 'W10', 'W13', 'I2', 'N1', 'N3', 'N8', 'N12']);
  });

  it('counts per class', () => {
    expect(countByClass(examples)).toEqual({ critical: 8, warning: 12, informational: 3, noise: 7 });
  });
});

const realGuide = join(labelsDir(), 'README.md');

describe('parseLabelingGuide on the shipped guide (data/labels/README.md)', () => {
  const { base, additions } = splitLinuxAdditions(readFileSync(realGuide, 'utf8'));
  const examples = parseLabelingGuide(base);

  it('finds a few hundred examples in every class', () => {
    const counts = countByClass(examples);
    expect(examples.length).toBeGreaterThan(300);
    for (const label of ['critical', 'warning', 'informational', 'noise']) expect(counts[label]).toBeGreaterThan(30);
    expect(new Set(examples.filter((e) => e.rule !== 'across').map((e) => e.rule)).size).toBe(39); // C1–C8, W1–W13, I1–I8, N1–N10
  });

  it('labels the known phrases as the guide does', () => {
    const labelOf = (phrase: string) => [...new Set(examples.filter((e) => e.phrase === phrase).map((e) => e.label))];
    expect(labelOf('generating core.<*>')).toEqual(['critical']);
    expect(labelOf('Failed password/none')).toEqual(['warning']);
    expect(labelOf('Accepted password')).toEqual(['informational']);
    expect(labelOf('no free leases')).toEqual(['warning']); // W13, named again in N1 — not noise
    expect(labelOf('no server')).toEqual(['critical']); // inside W13, "is C3"
    expect(labelOf('Input/output error')).toEqual(['critical']);
    expect(labelOf('jk2_init() Found child <*> in scoreboard slot <*>')).toEqual(['noise']);
    expect(labelOf('fatal:')).toEqual([]);
  });

  it('keeps the Linux-server rules in their own last section, C9–C14 and the W/I/N additions', () => {
    expect(additions.startsWith(LINUX_ADDITIONS_HEADING)).toBe(true);
    const linux = parseLabelingGuide(additions);
    const rules = new Set(linux.map((e) => e.rule));
    for (const rule of ['C9', 'C10', 'C11', 'C12', 'C13', 'C14', 'W14']) expect(rules.has(rule), rule).toBe(true);
    expect(linux.filter((e) => e.rule === 'C9').every((e) => e.label === 'critical')).toBe(true);
    expect(base.includes(LINUX_ADDITIONS_HEADING)).toBe(false);
  });
});
