/**
 * Loghub's BSD-syslog samples (Linux, OpenSSH) split the way Logstash's syslog grok and the rsyslog template split
 * a line, for the tests and benchmarks that put real lines into logs-* as a shipper would:
 * `Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; …` → host, service, pid, message.
 */
const SYSLOG = /^\w{3}\s+\d+ [\d:]+ (\S+) ([^\s[:]+(?:\([^)]*\))?)(?:\[(\d+)\])?: ?(.*)$/;

export interface SyslogFields {
  'host.name': string;
  service: string;
  pid?: number;
  message: string;
}

/** The fields of one line, or undefined for a line that is not BSD syslog (a blank line, a continuation). */
export function loghubSyslogFields(line: string): SyslogFields | undefined {
  const m = SYSLOG.exec(line);
  if (!m) return undefined;
  return { 'host.name': m[1]!, service: m[2]!, ...(m[3] ? { pid: Number(m[3]) } : {}), message: m[4]! };
}
