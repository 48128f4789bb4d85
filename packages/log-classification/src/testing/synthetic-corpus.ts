/** A synthetic labeled corpus for unit tests of the classifier and of the services around it (not for quality claims). */
import type { LabeledLine } from '../training/dataset.ts';

// A synthetic corpus: several templates per class, so out-of-fold tuning has something to work with.
const TEMPLATES: Record<string, string[]> = {
  critical: ['kernel panic not syncing on cpu {n}', 'Out of memory: kill process {n}', 'segfault at {n} in libc', 'EXT3-fs error on device sda{n}', 'No space left on device {n}', 'fatal machine check on node {n}'],
  warning: ['authentication failure for user{n} from 10.0.0.{n}', 'connection reset by peer 10.1.1.{n}', 'retrying connect to server {n}', 'timeout waiting for reply {n}', 'Failed password for root from 1.2.3.{n}', 'invalid user guest{n}'],
  informational: ['session opened for user alice{n}', 'session closed for user bob{n}', 'service started on port {n}', 'cron job {n} completed', 'Accepted password for carol from 1.1.1.{n}', 'configuration loaded from file {n}'],
  noise: ['DHCPREQUEST on eth0 to 10.0.0.{n}', 'ntp time sync offset {n}', 'heartbeat ok seq {n}', 'Initializing cgroup subsys cpu{n}', 'BogoMIPS {n}', 'received SNMP packet {n}'],
};
export function corpus(): LabeledLine[] {
  const lines: LabeledLine[] = [];
  for (const [label, templates] of Object.entries(TEMPLATES)) {
    templates.forEach((t, i) => {
      for (let n = 0; n < 4 + i; n++) lines.push({ system: 'Syn', template: `Syn/${label}${i}`, message: t.replace(/\{n\}/g, String(n * 7 + 3)), label: label as LabeledLine['label'] });
    });
  }
  return lines;
}

