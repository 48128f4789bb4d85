/**
 * The labeling pass used to label data/linux-logs: the labeling guide's class definitions and decision order
 * (data/labels/README.md) with its section for Linux server logs, written down
 * as ordered patterns so that the same kind of line always gets the same label and the reason is on record (the
 * `label_rule` column). It is a labeling tool, not the classifier: nothing under packages/ or services/ imports it,
 * and every line it could not place by a written rule was labeled by hand (data/linux-logs/overrides.csv).
 *
 * Order of tests, as the guide's: (1) does the line report a failure, error, denial, timeout, retry or risk?
 * (2) critical only for the critical families (C1–C8 of the guide, C9–C14 of the additions), else warning;
 * (3) a discrete operational event → informational; (4) else noise. Continuation lines of a dump (call traces,
 * registers, module lists) are labelled by their own text (guide rule 4, N8).
 */

export type Label = 'critical' | 'warning' | 'informational' | 'noise';

interface LabelRule {
  rule: string;
  label: Label;
  pattern: RegExp;
}

const rule = (id: string, label: Label, pattern: RegExp): LabelRule => ({ rule: id, label, pattern });

/** Batch jobs run by timers: their failure is W10 (warning), a daemon's is C6/C14 (critical). */
const BATCH_UNITS =
  /(logrotate|apt-daily|apt-daily-upgrade|man-db|fstrim|e2scrub|certbot|mlocate|updatedb|plocate|sysstat|motd-news|phpsessionclean|dpkg-db-backup|unattended|anacron|systemd-tmpfiles-clean|fwupd-refresh|snapd\.refresh|logwatch|backup)\S*\.(service|timer)/i;

/** Critical families first (they are the failures that must never be missed), then dump continuations. */
const RULES: readonly LabelRule[] = [
  // --- continuation lines of kernel dumps (N8 / guide rule 4): labelled by their own text ---
  rule('N8', 'noise', /^\s*(\[[ \d.]+\]\s*)?(\? )?\[<[0-9a-f]{8,16}>\]/i),
  rule('N8', 'noise', /^\s*(\[[ \d.]+\]\s*)?\s*(\? )?[\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+( \[\w+\])?\s*$/i),
  rule('N8', 'noise', /^\s*(\[[ \d.]+\]\s*)?(Call Trace:|Stack:|Code: |Modules linked in:|Hardware name:|Workqueue:|RIP: |RSP: |RAX: |RDX: |RBP: |R\d+: |FS: |CS: |CR2: |DR\d: |PC is at|LR is at|pc : |sp : |r\d+: |Flags: |Control: |Process \S+ \(pid: |task: |pgd = |\[[0-9a-f]+\] \*pgd=|Exception stack|Backtrace:|Instruction dump:|---\[ end trace|------------\[ cut here \]------------|<TASK>|<\/TASK>|<IRQ>|<\/IRQ>)/),
  rule('N8', 'noise', /^\s*(\[[ \d.]+\]\s*)?CPU: \d+ PID: \d+ Comm: .*(Not tainted|Tainted:)/),
  rule('N8', 'noise', /^\s*(\[[ \d.]+\]\s*)?\s*([0-9a-f]{16} ){2,}[0-9a-f]{16}\s*$/i),
  rule('N8', 'noise', /^\s*(\[[ \d.]+\]\s*)?[0-9a-f]{4,8}: ([0-9a-f]{2,8} ){4,}/i),
  rule('N8', 'noise', /^\s*(\[[ \d.]+\]\s*)?(Mem-Info:|active_anon:|Node \d+ (DMA|Normal|DMA32|HighMem)|\[ *pid *\] +uid +tgid|\[ *\d+\] +\d+ +\d+ +\d+|lowmem_reserve\[\]|Free swap|Total swap|\d+ pages (RAM|reserved|HighMem)|\d+ total pagecache pages|Swap cache stats)/),
  rule('N8', 'noise', /out_of_memory\+0x|oom_kill_process\+0x|dump_stack\+0x|Kernel Offset: 0x|Dumping ftrace buffer|\(ftrace buffer empty\)|^\s*(\[[ \d.]+\]\s*)?(IP|PGD|PUD|PMD|PTE): |^\s*(\[[ \d.]+\]\s*)?(RIP|RSP|EIP|ESP)\s+\[?<|irq event stamp:|hardirqs last|softirqs last/),
  rule('N8', 'noise', /\bcpuset=\S+ mems_allowed=/),
  rule('N8', 'noise', /^\s*(\[[ \d.]+\]\s*)?\s*\[<[0-9a-f]+>\] \(\w+\) from \[<[0-9a-f]+>\]/),
  rule('N8', 'noise', /^\s*(\[[ \d.]+\]\s*)?(XFS \(\w+\): First \d+ bytes of corrupted metadata buffer|INFO: lockdep is turned off|"echo 0 > \/proc\/sys\/kernel\/hung_task_timeout_secs" disables this message)/),

  // --- C9 OOM killer ---
  rule('C9', 'critical', /invoked oom-killer|Out of memory: Kill|Out of memory and no killable|Memory cgroup out of memory|oom-kill:constraint|Killed process \d+|oom_reaper: reaped process|panic_on_oom|Out of memory: Killed/i),
  // --- C10 crashes: segfaults, kernel BUG/Oops/panic, core dumps ---
  rule('C10', 'critical', /\bsegfault at\b|general protection( fault)?\b.*(\bip\b|\berror\b|\[#\d)|traps: \S+\[\d+\] (general protection|trap)|Unable to handle kernel|kernel BUG at|BUG: unable to handle|BUG: KASAN|BUG: kernel NULL pointer|\bOops: |Internal error: Oops|Kernel panic - not syncing|Kernel Offset:|end Kernel panic|dumped core|code=dumped|core dumped|Process \d+ \(\S+\) of user \d+ dumped core|Attempted to kill init/i),
  // --- C11 CPU and task stalls ---
  rule('C11', 'critical', /soft lockup - CPU#|hard LOCKUP|Watchdog detected hard LOCKUP|rcu_sched self-detected stall|rcu: INFO: rcu_\w+ (self-)?detected stall|INFO: rcu_\w+ detected stall|blocked for more than \d+ seconds|hung_task: blocked tasks|BUG: workqueue lockup|watchdog: BUG:|BUG: spinlock lockup/i),
  // --- C13 machine checks and uncorrected hardware errors (before C12: `Hardware Error` lines may say I/O) ---
  rule('W4', 'warning', /Corrected error|EDAC \S+ CE |\bCE memory (read|scrub) error|corrected (memory|cache) error/i),
  rule('C13', 'critical', /Machine Check Exception|\bmce: \[Hardware Error\]|\[Hardware Error\]: (Machine check|CPU|TSC|PROCESSOR|STATUS|ADDR|MISC)|Fatal Machine check|EDAC \S+ UE |Uncorrected (hardware )?(memory )?error|NMI: (IOCK|PCI system) error|Uhhuh\. NMI received|thermal event.*(critical|shutdown)|CPU\d+: (Core|Package) temperature (is )?above threshold, cpu clock (is )?throttled|Under-?voltage detected!/i),
  rule('W6', 'warning', /Marking fs in need of filesystem check|recovery required on readonly filesystem|write access will be enabled during recovery/),
  // --- C12 storage: I/O errors, filesystem errors, disk full, RAID failures, failed mounts ---
  rule('C12', 'critical', /Buffer I\/O error|I\/O error,? dev\b|end_request: I\/O error|blk_update_request: (critical )?(medium|I\/O|target) error|critical medium error|Medium Error|Unrecovered read error|\bI\/O error\b.*\b(sector|block|logical block|inode)|EXT[234]-fs error|EXT[234]-fs \(\S+\): (Remounting filesystem read-only|error|previous I\/O error|Delayed block allocation failed|This should not happen)|Remounting filesystem read-only|Aborting journal|journal commit I\/O error|Journal has aborted|XFS \(\S+\): (metadata I\/O error|Metadata CRC error|Corruption|xfs_do_force_shutdown|Filesystem has been shut down|log I\/O error|Unmount and run xfs_repair|.*returned error -\d+)|BTRFS (error|critical)|btrfs: .*(csum failed|error)|No space left on device|file system full|filesystem (is )?full|disk full|md\/raid\d*:.*(Disk failure|Operation continuing on \d+ devices|not enough operational)|raid\d+: Disk failure|\bDegradedArray event|\bFail event on \/dev\/md|FAILED\] Failed to mount|Failed to mount \S|Dependency failed for (Local [Ff]ile [Ss]ystems|\/)|You are in emergency mode|Welcome to emergency mode|VFS: Unable to mount root|VFS: Can't find ext\d filesystem|can't read superblock|bad extra_isize|ata\d+(\.\d+)?: (failed command|error: \{|exception Emask.*frozen)|SCSI error: return code|Sense Key : (Medium|Hardware) Error|smartd\[\d+\]: Device: .*(FAILED|SMART Failure|Currently unreadable|Offline uncorrectable|failed to read SMART)|Read-only file system|EIO\b.*\/dev\/|fsck (failed|died)|UNEXPECTED INCONSISTENCY; RUN fsck/i),
  // --- C14 systemd units and daemons that fail or die (C6 of the guide), batch jobs are W10 ---
  rule('W10', 'warning', new RegExp(`${BATCH_UNITS.source}.*(Failed with result|Main process exited, code=exited|failed|entered failed state)|Failed to start (Daily|Weekly|Monthly|Rotate log files|Discard unused blocks|Online ext4 Metadata Check|man-db|Clean php session|Download data for packages)`, 'i')),
  // systemd restarting a unit: the exit line before it carries the failure (C14)
  rule('W13', 'warning', /hold-?off time over, scheduling restart|Service has no hold-off time|Scheduled restart job, restart counter is at/i),
  rule('C14', 'critical', /Failed to start |\.(service|socket|mount|device|swap|target): (Failed with result|Main process exited, code=(killed|dumped|exited, status=[1-9]))|\bentered failed state|Start request repeated too quickly|start-limit-hit|Failed to fork|fork: Cannot allocate memory|Cannot allocate memory|\bFailed with result '(exit-code|signal|core-dump|timeout|watchdog|start-limit-hit|resources|oom-kill)'|\[FAILED\]|Job .* failed with result 'dependency'|Dependency failed for|failed with result 'dependency'|Timed out waiting for device|respawning too fast|terminated abnormally|exited abnormally|died, restarting|unexpectedly (exited|died|terminated)|\[emerg\]|\bAborting\s*$|Can't start server|\[ERROR\] Aborting|Fatal error: Can't open and lock privilege tables|Unit \S+ has failed/i),
  // --- C4 a node or peer definitively lost (cluster stacks) ---
  rule('C4', 'critical', /Node \S+ state is now lost|\bwas formed\. Members left|Failed to receive the leave message|now has status \[offline\]|is now offline|Node \S+ is unclean|fence(d| operation).*(succeeded|failed|reboot)|kernel: (e1000e?|igb|ixgbe|r8169|tg3|bnx2)\S*: .*(Detected Hardware Unit Hang|Reset adapter unexpectedly|NETDEV WATCHDOG)|NETDEV WATCHDOG: \S+ \(\S+\): transmit queue \d+ timed out/i),

  // --- C15 / W16 a UPS: the battery runs out (the host goes down), or the host runs on it; power back is I6 ---
  rule('C15', 'critical', /Battery power exhausted|Reached run time limit on batteries|Battery charge below low limit|battery is low\b|forced shutdown in progress/),
  rule('W16', 'warning', /Power failure\.|Running on UPS batteries|Communications with UPS( \S+)? lost|UPS battery must be replaced|battery needs to be replaced|Battery disconnected\.|\bUPS \S+ on battery\b/),
  rule('I6', 'informational', /Mains returned|Power is back|\bUPS \S+ on line power|Battery reattached\./),

  // --- W1 authentication failures and break-in attempts (of every kind) ---
  rule('W1', 'warning', /authentication failure|nonexistent user|Non-existent login|login failures|Root login attempted|login not allowed|refused connect from|auth(entication)? fail|Failed (password|publickey|none|keyboard-interactive)|Invalid user|invalid user|illegal user|user unknown|unknown user|User not known|Did not receive identification string|POSSIBLE BREAK-IN|Bad protocol version|maximum authentication attempts|Too many authentication failures|more authentication failures|ignoring max retries|not allowed because|ROOT LOGIN REFUSED|LOGIN FAILED|Login failed|login incorrect|FAILED LOGIN|failed login|Incorrect authentication data|authenticator failed|SASL (LOGIN|PLAIN|CRAM-MD5|DIGEST-MD5|\w+) authentication failed|password mismatch|password check failed|bad password|Permission denied \(publickey|user NOT in sudoers|incorrect password attempts?|NOT in sudoers|Authentication refused|no matching (cipher|key exchange|host key|MAC)|Unable to negotiate|requirement "uid >= \d+" not met|pam_succeed_if\(\S+\): requirement|Access denied for user|client denied by server configuration|user .* not found|no such user|Unknown user|unauthorized|Unauthorized|auth(entication)? error|Invalid (credentials|password|login|username)|Wrong password|rejected by the server|\b401\b.*(auth|login)|BREAK-IN|Disconnecting (invalid|authenticating) user|Connection closed by (invalid|authenticating) user|Connection reset by (invalid|authenticating) user|Received disconnect from .*Auth fail|No supported authentication methods|No more user authentication methods|Postponed keyboard-interactive for invalid|input_userauth_request: invalid user|Disconnected from (invalid|authenticating) user|\[preauth\].*(fail|invalid)|Change of username or service not allowed|imap-login: .*auth failed|pop3-login: .*auth failed|Aborted login \(auth failed|SASL \w+ authentication failed|AUTH command used when not advertised|LOGIN authentication mechanism not supported/i),

  // --- W7 denials and policy rejections ---
  rule('W7', 'warning', /\bdenied\b|\bDenied\b|\bDENIED\b|\breject(ed)?\b|\bREJECT|\bblocked\b|\bBLOCK\]|\bforbidden\b|not permitted|Operation not permitted|Permission denied|permission denied|access denied|\bvetoed|\bRelay access denied|Relaying denied|NOQUEUE|\bbanned?\b|\bBan \d|\bquarantined?\b|not in the allowed|avc:\s+denied|apparmor="DENIED"|blacklist|blocklist|\brefused\b.*(policy|by rule)|SELinux is preventing|\bUFW BLOCK|iptables.*DROP|\bDROP\b.*SRC=|IN=\S* OUT=\S* .*SRC=/),

  // --- W2/W3 network failures, timeouts, retries ---
  rule('W2', 'warning', /Connection (reset|refused|timed out|aborted)|connection (reset|refused|timed out|aborted)|Network is (down|unreachable)|No route to host|Host is unreachable|Name or service not known|Temporary failure in name resolution|could not resolve|can't resolve|does not resolve to address|name lookup failed|host not found|lookup .* failed|Transport endpoint is not connected|Broken pipe|lost connection|connection lost|Connection closed unexpectedly|unexpected EOF|TLS (Error|handshake failed)|SSL(_\w+)?\(\) failed|SSL (error|alert)|handshake failure|certificate verify failed|TLS negotiation failed|STARTTLS negotiation failed|timed out|timeout|Timeout|TIMEOUT|retry|Retrying|retrying|will retry|try again|deferred|Deferred|status=deferred|status=bounced|bounced|could not receive data from client|Read error from remote host|Corrupted MAC on input|Bad packet length|bad client public DH value|getpeername failed|get_remote_port failed|connection failed|failure direct-tcpip|Aborted connection|Got an error reading communication packets|incomplete startup packet|Link is Down|link down|NIC Link is Down|carrier lost|Disconnecting: Too many|Read from socket failed|Write failed|server_input_channel_open: failure|Connection closed by remote host|peer closed connection|upstream (timed out|prematurely closed)|no live upstreams|connect\(\) failed/i),

  // --- W12 boot-time firmware/config defects; W8 deprecations and config defects ---
  rule('W8', 'warning', /deprecated|is deprecated|will be removed|obsolete|Insecure configuration|is created with an empty password|self signed|Could not reliably determine the server's fully qualified domain name|configures an IP firewall .* but the local system does not support|Proceeding WITHOUT firewalling|Unknown (key|lvalue|section|option)|Failed to parse|Invalid (argument|value|line|entry|option)|bad (option|entry|line)|unknown option|Unrecognized|not recognized|syntax error|ignoring line|Ignoring invalid|Failed to lookup module alias|Function not implemented|duplicate key value|already exists|does not exist|No such file or directory|File does not exist|not found|missing|Could not stat/i),

  // --- W5/W13 recoverable errors and degraded states: anything else that says error/fail/warn ---
  rule('W5', 'warning', /\berror\b|\bError\b|\bERROR\b|\bfail(ed|ure|s)?\b|\bFail(ed|ure)?\b|\bFAIL(ED|URE)?\b|\bwarning\b|\bWarning\b|\bWARNING\b|\bwarn\b|<warn>|\bunable to\b|\bUnable to\b|\bcannot\b|\bCannot\b|\bcan't\b|\bcould not\b|\bCould not\b|\bcouldn't\b|\binvalid\b|\bInvalid\b|\bbad\b|\bBad\b|\bunexpected\b|\bUnexpected\b|\bdrop(ping|ped)? \b|rate-limit|ratelimit|throttl|\bexceeded\b|\bfull\b|\bcorrupt|\bFATAL\b|\bfatal\b|\bcrit\b|\[crit\]|\bCRIT\b|\bpanic\b|\babort(ed|ing)?\b|\bAbort(ed|ing)?\b|\bnot responding\b|\bstuck\b|\bnot met\b|\bdegraded\b|\bDEGRADED\b|\boverheat|\btoo many\b|\bToo many\b|\bno free\b|\bexhausted\b|\bshort of\b|\bleak\b|\bTainted\b|\buntrusted\b|\bspoof|\bmismatch\b|\bsuspicious\b|\bWARN\b/),

  // --- I: discrete operational events ---
  rule('I2', 'informational', /session opened|session closed|New session \d+|Removed session|Session \d+ logged out|Started Session|Accepted (password|publickey|keyboard-interactive|gssapi)|Received disconnect from .*(disconnected by user|Bye Bye|Closed due to user request)|Disconnected from( user)? \S+ \S+ port \d+$|Disconnected from \S+ port \d+|Connection closed by \S+( port \d+)? \[preauth\]|Connection from \S+ port \d+|connect from|disconnect from|Login: user=|Logged out|Disconnected: Logged out|LOGIN, user=|LOGOUT, user=|client=|message-id=|from=<.*>, size=|to=<.*>,.*status=sent|status=sent|removed$|\(uid=\d+\)|logged in|logged out|login on|LOGIN ON|ANONYMOUS FTP LOGIN|OK LOGIN|opened for user|User child is on pid|\bFTP session (opened|closed)|accepted connection|Accepted connection|connection from \S+|CONNECT from|ready for connections|listening on|Listening on|\bGET \/|\bPOST \/|HTTP\/1\.[01]" \d{3}|pam_unix\(\S+:session\)|USER_(LOGIN|START|END|ACCT)|\bsu(\[\d+\])?: \(to \S+\)|Successful su for|\+ \S+ \S+:\S+/),
  rule('I3', 'informational', /\bCMD \(|CROND?\[\d+\]|run-parts|anacron|Job `\S+' (started|terminated)|starting \S+$|finished \S+$|\bTASK \[|Finished \S|completed|succeeded|Succeeded|successfully|Successfully|done\.?$|\bDone\b/),
  rule('I1', 'informational', /mounted filesystem|Mounted root|starting up|devtmpfs: mounted|\b(Started|Starting|Stopped|Stopping|Reloaded|Reloading|Restarted|Restarting|Mounted|Mounting|Unmounted|Unmounting|Activated|Activating|Deactivated|Reached target|Stopped target|Created slice|Removed slice|Listening on|Closed|Finished|Startup finished|Startup complete|startup succeeded|shutdown succeeded|Shutdown complete|Normal shutdown|shutting down|Shutting down|received (fast|smart|immediate) shutdown request|database system is (ready to accept connections|shut down)|was shut down at|caught SIGTERM|resuming normal operations|configured --|started at|Server listening|server listening|Server started|started;|started$|exiting|Exiting|starting as process|initializing of server|ready\.?$|is ready|Welcome to|Linux version \d|Booting Linux|Booting paravirtualized|systemd \d+ running in system mode|Detected (virtualization|architecture)|Set hostname to|Initializing machine ID|Power key pressed|System is (rebooting|powering down)|Reached target)\b/),
  rule('I5', 'informational', /new (user|group): name=|changed password|password changed|group added|delete user|useradd|usermod|userdel|Reloading configuration|configuration (loaded|reloaded|file)|loaded config|Loaded configuration|reconfigured|COMMAND=|TTY=\S+ ; PWD=|\bsudo:\s|hostname (set|changed)|Set hostname/),
  rule('I6', 'informational', /Link is Up|link up|NIC Link is Up|link becomes ready|carrier acquired|New USB device found|USB disconnect|new (full|high|low|super)-speed USB device|state is now (member|up|online)|\bonline\b|Members\[\d+\]|Completed service synchronization|still member of group|left group|Quorum|quorum|membership|now (active|running|primary|master)|(entered|left) (promiscuous|allmulticast|blocking|forwarding|disabled) (mode|state)|renamed from|Interface \S+ (up|down)|New (device|interface)/i),
  rule('I4', 'informational', /\bsaved\b|\bwritten\b|\bwrote\b|\bdeleted\b|\bremoved\b|\bcreated\b|\bcommitted\b|\bflushed\b|\brotated\b|\bqueued as\b|\bdelivered\b|\bstored\b/i),

  // --- N: routine chatter ---
  rule('N1', 'noise', /DHCP(DISCOVER|OFFER|REQUEST|ACK|NAK|RELEASE|INFORM)|dhclient|bound to \S+ -- renewal|Synchroniz(ed|ing) to time server|time server|clock (offset|step)|selected source|ntpd\[|chronyd\[|Received SNMP packet|systemd-timesyncd/i),
  rule('N5', 'noise', /\bdebug\d?:|\bDEBUG\b|\btrace\b|Condition check resulted in|skipped because|was skipped|ignored\.?$|\[\*+ *\]|A start job is running/i),
];

/** Boot-time enumeration and kernel init (N3): a kernel line that reports nothing wrong and no discrete event. */
const KERNEL_OR_BOOT = /^(\S+ +\d+ [\d:]+ \S+ kernel: |\S+T\S+ \S+ kernel: |\[ *\d+\.\d+\] |kernel: |<\d>)/;

export interface Labeled {
  label: Label;
  rule: string;
}

/** The label of one raw line (its own text only, guide rule 4). */
export function labelLine(line: string): Labeled {
  for (const r of RULES) if (r.pattern.test(line)) return { label: r.label, rule: r.rule };
  if (KERNEL_OR_BOOT.test(line) || !/[a-z]{3,}\[\d+\]:|\b(sshd|systemd|postfix|dovecot|named|cron|su|sudo|nginx|apache|httpd|mysqld|postgres)\b/i.test(line)) {
    return { label: 'noise', rule: 'N3' };
  }
  return { label: 'noise', rule: 'default' };
}
