/**
 * The message families the Linux kernel and systemd print when something breaks, as decision rules: each family is
 * the wording of one printk/log_unit call site (the source file is named beside it), and a line of the family takes
 * the family's class under its own name (`ml_rule: "kernel:oom"`). The classes are the labeling guide's: OOM
 * killer, crashes, kernel BUG/Oops/panic, CPU and task stalls, I/O and filesystem errors, machine checks, RAID
 * failures, a disk's own SMART failure report, CPU overheating, a Raspberry Pi's under-voltage, a full disk and
 * failed unit starts, a UPS whose battery runs out are critical (C1–C6, and C9–C15 of the guide's Linux section,
 * data/labels/README.md); a failed timer-driven batch job is a warning (W10), a kernel WARN_ON a warning (W14), a
 * host on UPS battery a warning (W16).
 *
 * Order matters: the first family that matches decides, so the narrow warning families come before the broad
 * critical ones they would otherwise fall into.
 */
import { PrefilteredPatterns } from './prefilter.ts';

export interface Family {
  /** `kernel:oom`, `systemd:unit-failed`: what `ml_rule` shows. */
  rule: string;
  label: 'critical' | 'warning';
  pattern: RegExp;
  /** Why, and where the wording comes from. */
  source: string;
}

/** Units run by timers (batch jobs): their failure is W10 (warning), a daemon's failure is critical. */
export const BATCH_UNIT =
  /\b(?:logrotate|apt-daily(?:-upgrade)?|man-db|fstrim|e2scrub\w*|certbot|mlocate|updatedb|plocate\w*|sysstat\w*|motd-news|phpsessionclean|dpkg-db-backup|unattended-upgrades|anacron|systemd-tmpfiles-clean|fwupd-refresh|snapd\.refresh|logwatch|mdcheck\w*|raid-check|btrfs-scrub\w*|pmlogger\w*|atop\w*|clamav-freshclam)(?:@\S*)?\.(?:service|timer)\b/;

/** The descriptions those units log under (`Failed to start Daily man-db regeneration.`). */
export const BATCH_DESCRIPTION =
  /(?:Daily|Weekly|Monthly) \w|Rotate log files|Discard unused blocks|Online ext4 Metadata Check|Clean php session files|Cleanup of Temporary Directories|Update the (?:p|m)?locate database|Refresh fwupd metadata|Download data for packages|MD array scrubbing|Message of the Day/;

export const FAMILIES: readonly Family[] = [
  {
    rule: 'systemd:batch-failed',
    label: 'warning',
    pattern: new RegExp(
      `${BATCH_UNIT.source}.*(?:Failed with result|Main process exited, code=exited, status=[1-9]|Control process exited|failed\\.?$|entered failed state)|Failed to start (?:${BATCH_DESCRIPTION.source})`,
    ),
    source: 'systemd src/core/service.c, unit.c; a timer-driven job exiting non-zero is W10 of the guide',
  },
  {
    rule: 'ups:on-battery',
    label: 'warning',
    pattern: /^(?:.*\bapcupsd(?:\[\d+\])?: |\S+ \S+ [+-]\d{4} {2})(?:Power failure\.|Running on UPS batteries\.|Communications with UPS lost\.|UPS battery must be replaced\.|Battery disconnected\.)\s*$|Power failure on UPS |Power problems with UPS |\bUPS \S+ on battery\b|Communications with UPS \S+ lost|\bUPS \S+ battery needs to be replaced|\bUPS \S+ is unavailable/,
    source: 'apcupsd 3.14 (Debian package apcupsd: sbin/apcupsd events "Power failure.", "Running on UPS batteries.", "Communications with UPS lost.", "UPS battery must be replaced.", "Battery disconnected.", in syslog or its apcupsd.events file; etc/apcupsd/apccontrol), NUT upsmon (Debian package nut-client, upsmon.conf NOTIFYMSG ONBATT, COMMBAD, REPLBATT, NOCOMM): the host runs on its UPS, or cannot see it; not yet an outage (W16)',
  },
  {
    rule: 'kernel:oom',
    label: 'critical',
    pattern: /invoked oom-killer|Out of memory: Kill(?:ed)? process|Out of memory and no killable processes|Memory cgroup out of memory|oom-kill:constraint=|oom_reaper: reaped process|\bKilled process \d+ \(.*\) total-vm/,
    source: 'mm/oom_kill.c (dump_header, oom_kill_process, __oom_kill_process), mm/memcontrol.c',
  },
  {
    rule: 'kernel:panic',
    label: 'critical',
    pattern: /Kernel panic - not syncing|---\[ end Kernel panic|Attempted to kill init!/,
    source: 'kernel/panic.c (panic)',
  },
  {
    rule: 'kernel:lockup',
    label: 'critical',
    pattern: /soft lockup - CPU#\d+ stuck for|Watchdog detected hard LOCKUP|hard LOCKUP on cpu|\brcu_(?:sched|preempt|bh) (?:self-)?detected stall|rcu: INFO: rcu_\w+ (?:self-)?detected (?:expedited )?stall|BUG: workqueue lockup|BUG: spinlock lockup suspected/,
    source: 'kernel/watchdog.c, kernel/watchdog_hld.c, kernel/rcu/tree_stall.h, kernel/rcu/tree_exp.h ("detected expedited stalls on CPUs/tasks"), kernel/workqueue.c',
  },
  {
    rule: 'kernel:hung-task',
    label: 'critical',
    pattern: /INFO: task \S+ blocked for more than \d+ seconds|\bblocked for more than \d+ seconds\.?$/,
    source: 'kernel/hung_task.c (check_hung_task)',
  },
  {
    rule: 'kernel:bug',
    label: 'critical',
    pattern: /\bkernel BUG at \S+|BUG: unable to handle (?:kernel )?(?:paging request|page fault|kernel NULL pointer)|BUG: kernel NULL pointer dereference|Unable to handle kernel (?:NULL pointer dereference|paging request)|\bOops: [0-9a-f]{4} \[#\d+\]|Internal error: Oops|(?:general protection fault|invalid opcode|stack segment|double fault): [0-9a-f]{4} \[#\d+\]|general protection fault, probably for non-canonical address|BUG: KASAN: |BUG: KFENCE: |BUG: Bad page (?:state|map)|BUG: scheduling while atomic|BUG: sleeping function called from invalid context|BUG: \w+ \((?:Not tainted|Tainted)/,
    source: 'lib/bug.c (report_bug), arch/x86/mm/fault.c, arch/arm/mm/fault.c, arch/x86/kernel/traps.c and dumpstack.c (die: "%s: %04lx [#%d]" after a trap), mm/kasan/report.c, mm/page_alloc.c',
  },
  {
    rule: 'kernel:segfault',
    label: 'critical',
    pattern: /\bsegfault at [0-9a-f]+ ip [0-9a-f]+ sp [0-9a-f]+|\btraps: \S+\[\d+\] (?:general protection|trap (?:divide error|invalid opcode|int3|stack segment))/,
    source: 'arch/x86/mm/fault.c (show_signal_msg), arch/x86/kernel/traps.c',
  },
  {
    rule: 'kernel:mce',
    label: 'critical',
    pattern: /Machine Check Exception|mce: \[Hardware Error\]|\[Hardware Error\]: (?:Machine check|CPU \d+: Machine Check|Run the above through)|Fatal Machine check|EDAC \S+: \d+ UE |\bUncorrected (?:hardware )?(?:memory )?error|NMI: (?:IOCK|PCI system) error|Uhhuh\. NMI received for unknown reason/,
    source: 'arch/x86/kernel/cpu/mce/core.c, drivers/edac/edac_mc.c, arch/x86/kernel/nmi.c',
  },
  {
    rule: 'kernel:thermal',
    label: 'critical',
    pattern: /CPU\d+: (?:Core|Package) temperature (?:is )?above threshold, cpu clock (?:is )?throttled|[Cc]ritical temperature reached.*shutting down|thermal thermal_zone\d+: critical temperature reached/,
    source: 'arch/x86/kernel/cpu/mce/therm_throt.c (printk KERN_CRIT "CPU%d: %s temperature above threshold, cpu clock throttled"), drivers/thermal/thermal_core.c (critical trip: "critical temperature reached, shutting down")',
  },
  {
    rule: 'kernel:under-voltage',
    label: 'critical',
    pattern: /\bUnder-?voltage detected!/,
    source: 'drivers/hwmon/raspberrypi-hwmon.c (dev_crit "Undervoltage detected!"), the Raspberry Pi kernel\'s drivers/firmware/raspberrypi.c (pr_crit "Under-voltage detected! (0x%08x)"): the board\'s supply sags, the SD card and USB disks are at risk',
  },
  {
    rule: 'kernel:io-error',
    label: 'critical',
    pattern: /Buffer I\/O error on (?:dev|device)|\bI\/O error, dev \S+, sector|end_request: (?:critical )?(?:I\/O|medium) error|blk_update_request: (?:critical )?(?:I\/O|medium|target|nexus|transport|space allocation) error|critical medium error|Sense Key : (?:Medium|Hardware) Error|Unrecovered read error|ata\d+(?:\.\d+)?: failed command|ata\d+(?:\.\d+)?: reset failed, giving up|ata\d+(?:\.\d+)?: exception Emask .* frozen|SCSI error: return code|rejecting I\/O to offline device|(?:Read|Write)-error on swap-device|media error \(bad sector\)/,
    source: 'block/blk-core.c (print_req_error), fs/buffer.c (buffer_io_error), drivers/scsi/scsi_logging.c, drivers/ata/libata-eh.c (ata_eh_reset: "reset failed, giving up", the device is then disabled), mm/page_io.c',
  },
  {
    rule: 'kernel:fs-error',
    label: 'critical',
    pattern: /EXT[234]-fs error|EXT[234]-fs \(\S+\): (?:Remounting filesystem read-only|previous I\/O error|Delayed block allocation failed|error count since last fsck)|Aborting journal on device|journal commit I\/O error|JBD2: .*(?:I\/O error|aborted)|XFS \(\S+\): (?:metadata I\/O error|Metadata CRC error|Corruption (?:of in-memory data|detected)|Filesystem has been shut down|xfs_do_force_shutdown|log I\/O error|Unmount and run xfs_repair)|BTRFS:? (?:error|critical)\b|BTRFS \w+ \(device \S+\): forced readonly|FAT-fs \(\S+\): error|XFS \(\S+\): .*returned error -\d+|Filesystem error recorded from previous mount|Remounting filesystem read-only|VFS: Unable to mount root fs|VFS: Can't find ext\d filesystem|can't read superblock|SQUASHFS error/,
    source: 'fs/ext4/super.c (__ext4_error, ext4_handle_error), fs/jbd2/journal.c, fs/xfs/xfs_message.c, fs/btrfs/messages.c (btrfs_handle_fs_error: "BTRFS: error (device %s) in %s:%d: errno=%d %s", then "forced readonly"), init/do_mounts.c',
  },
  {
    rule: 'kernel:raid',
    label: 'critical',
    pattern: /md\/raid\d*:\S+: Disk failure|raid\d+: Disk failure|md\/raid\d*:\S+: Operation continuing on \d+ devices|not enough operational devices|mdadm(?:\[\d+\])?: (?:Fail|FailSpare|DegradedArray) event/,
    source: 'drivers/md/raid1.c, raid10.c, raid5.c (md_error paths); mdadm Monitor events',
  },
  {
    rule: 'smartd:disk-failing',
    label: 'critical',
    pattern: /Device: \S+.*, (?:SMART Failure: |FAILED SMART self-check|Failed SMART usage Attribute: |\d+ Currently unreadable \(pending\) sectors|\d+ Offline uncorrectable sectors)/,
    source: 'smartmontools smartd (Debian package smartmontools 7.3: "Device: %s, SMART Failure: %s", "FAILED SMART self-check. BACK UP DATA NOW!", "Failed SMART usage Attribute", "%d Currently unreadable (pending) sectors", "%d Offline uncorrectable sectors"): the disk reports its own failure',
  },
  {
    rule: 'cluster:node-lost',
    label: 'critical',
    pattern: /Node \S+ state is now lost|A new membership .* was formed\. Members left|Failed to receive the leave message|peer now has status \[offline\]|corosync-cpg is now offline|Node \S+ is unclean|Node \S+ will be fenced/,
    source: 'pacemaker lib/cluster/membership.c, daemons/controld; corosync exec/totemsrp.c',
  },
  {
    rule: 'ups:power-lost',
    label: 'critical',
    pattern: /\bBattery power exhausted\b|Reached run time limit on batteries|Battery charge below low limit|Reached remaining time percentage limit on batteries|Battery failure\. Emergency|Battery time limit exceeded on UPS|Emergency Shutdown\. Possible battery failure|Remaining battery (?:charge|runtime) below limit on UPS|\bUPS \S+ battery is low\b|\bUPS \S+: forced shutdown in progress|upsmon parent process died - shutdown impossible/,
    source: 'apcupsd 3.14 (Debian package apcupsd: the events of sbin/apcupsd, "Battery power exhausted.", "Reached run time limit on batteries.", "Battery charge below low limit.", and of etc/apcupsd/apccontrol), NUT upsmon (Debian package nut-client, upsmon.conf NOTIFYMSG LOWBATT "UPS %s battery is low", FSD "UPS %s: forced shutdown in progress", NOPARENT): the battery runs out and the host is shut down',
  },
  {
    rule: 'dovecot:fatal',
    label: 'critical',
    pattern: /\bdovecot(?:\[\d+\])?: (?:\S+: )?(?:Fatal|Panic): /,
    source: 'Dovecot src/lib/failures.c (the "Fatal: " and "Panic: " prefixes of i_fatal and i_panic, Debian package dovecot-core): the process logging it exits',
  },
  {
    rule: 'postfix:master-fatal',
    label: 'critical',
    pattern: /\bpostfix\/master\[\d+\]: fatal: /,
    source: 'Postfix src/util/msg.c (msg_fatal: "fatal: " and exit) in src/master (master.c, master_ent.c: the supervisor of every Postfix service; Debian package postfix): the mail system stops. Other programs\' "fatal:" end one process, which master restarts',
  },
  {
    rule: 'init:start-failed',
    label: 'critical',
    pattern: /\bStarting .+\.\.\. ?failed!\s*$/,
    source: 'sysvinit-utils /lib/lsb/init-functions (log_daemon_msg "Starting <service>" then log_end_msg: " failed!"): an init script whose daemon did not start',
  },
  {
    rule: 'mysql:startup-aborted',
    label: 'critical',
    pattern: /\[ERROR\] (?:\[MY-\d+\] \[Server\] )?Aborting\s*$|\[ERROR\] Can't start server/,
    source: 'MySQL/MariaDB sql/mysqld.cc (unireg_abort: the server gives up starting)',
  },
  {
    rule: 'mysql:crash',
    label: 'critical',
    pattern: /\bmysqld(?:-debug)? got signal \d+|(?:InnoDB:|\[InnoDB\]) +Assertion failure\b/,
    source: 'MySQL/MariaDB sql/signal_handler.cc (handle_fatal_signal: "%s got signal %d ;"), storage/innobase/ut/ut0dbg.cc (ut_dbg_assertion_failed: "InnoDB: Assertion failure in thread %lu in file %s line %lu", 8.0: "Assertion failure: %s:%lu"): the server aborts',
  },
  {
    rule: 'mysql:table-corrupt',
    label: 'critical',
    pattern: /Incorrect key file for table '[^']+'; try to repair it|Table '[^']+' is marked as crashed|Database page corruption on disk or a failed file read/,
    source: 'MySQL/MariaDB sql/share/errmsg-utf8.txt (ER_NOT_KEYFILE "Incorrect key file for table \'%-.200s\'; try to repair it", ER_CRASHED_ON_USAGE "Table \'%-.192s\' is marked as crashed and should be repaired"), storage/innobase/buf/buf0buf.cc ("Database page corruption on disk or a failed file read"): a table\'s data is corrupted',
  },
  {
    rule: 'process:assertion-abort',
    label: 'critical',
    pattern: /: Assertion [`'].*' failed\.|OpenSSL internal error, assertion failed/,
    source: 'glibc assert/assert.c (__assert_fail: "%s%s%s:%u: %s%sAssertion `%s\' failed."), OpenSSL crypto/cryptlib.c (OPENSSL_die: "%s(%d): OpenSSL internal error, assertion failed: %s"): both abort the process next',
  },
  {
    rule: 'nginx:worker-died',
    label: 'critical',
    pattern: /\b(?:worker|cache manager|cache loader) process \d+ exited on signal \d+/,
    source: 'nginx src/os/unix/ngx_process.c (ngx_process_get_status: "%s %P exited on signal %d%s"; a worker that quits normally "exited with code 0")',
  },
  {
    rule: 'nginx:upstream-gone',
    label: 'critical',
    pattern: /connect\(\) to unix:\S+ failed \(2: No such file or directory\) while connecting to upstream/,
    source: 'nginx src/event/ngx_event_connect.c (ngx_event_connect_peer: connect() to a unix-socket upstream whose socket file does not exist, logged at crit): the application server behind nginx is not running',
  },
  {
    rule: 'disk:full',
    label: 'critical',
    pattern: /No space left on device|\bENOSPC\b|[Ff]ile ?system (?:is )?full|\b[Dd]isk (?:is )?full\b|Operating system error number 28 |\bErrcode: 28\b|\berrno[:=] ?28\b/,
    source: 'ENOSPC (errno 28) as libc and programs print it; MySQL/MariaDB storage/innobase os/os0file.cc ("Operating system error number %d in a file operation.") and mysys my_error ("Disk is full writing \'%s\' (Errcode: %d …)")',
  },
  {
    rule: 'systemd:coredump',
    label: 'critical',
    pattern: /Process \d+ \(.*\) of user \d+ dumped core|\bcode=dumped\b|\(core dumped\)|\bdumped core\b/,
    source: 'systemd src/coredump/coredump.c, src/core/service.c (code=dumped)',
  },
  {
    rule: 'systemd:emergency',
    label: 'critical',
    pattern: /You are in emergency mode|Welcome to emergency mode|Dependency failed for (?:Local [Ff]ile [Ss]ystems|\/)|Timed out waiting for device|Failed to mount \S|\[FAILED\] Failed to mount/,
    source: 'systemd src/core/emergency-action.c, src/core/job.c (job_done messages for mount and device units)',
  },
  {
    rule: 'boot:no-root',
    label: 'critical',
    pattern: /Gave up waiting for root (?:file system )?device|ALERT! +\S+ does not exist\. +Dropping to a shell|dracut-initqueue\[\d+\]: Warning: Could not boot/,
    source: 'initramfs-tools scripts/local (local_device_setup: "Gave up waiting for root file system device", "ALERT!  … does not exist.  Dropping to a shell!"), dracut modules.d/98dracut-systemd/dracut-initqueue.sh ("Could not boot."): the root file system never appears and boot stops in the initramfs shell',
  },
  {
    rule: 'systemd:unit-failed',
    label: 'critical',
    pattern: /Failed to start |\S+\.(?:service|socket|swap|scope): (?:Failed with result '|Main process exited, code=(?:killed|exited, status=[1-9])|Control process exited, code=(?:killed|exited, status=[1-9])|Start request repeated too quickly)|\bentered failed state\b|(?:^|: )[\w@.-]+\.(?:service|socket|mount|swap|scope) failed\.$|Dependency failed for |Failed to fork|Failed to (?:spawn|run) '[\w-]+' task: |Failed to spawn executor: |Job \S+ failed with result/,
    source: 'systemd src/core/job.c (job_done: "Failed to start %s."), src/core/service.c (service_enter_dead, log_unit_struct "Main process exited"), src/core/unit.c ("Failed with result"; systemd ≤ 219: "Unit %s entered failed state." and "%s failed."), src/core/{service,socket,mount,swap}.c ("Failed to spawn|run|fork \'%s\' task: %m", then *_FAILURE_RESOURCES), src/core/execute.c exec_spawn ("Failed to spawn executor: %m"): the unit\'s process cannot be started',
  },
];

/** The first family a line belongs to, or null: every family tried in order (the reference of matchFamily). */
export function matchFamilyNaive(text: string): Family | null {
  for (const family of FAMILIES) if (family.pattern.test(text)) return family;
  return null;
}

/** The families behind one literal scan: only those whose required words occur in the line are tried. */
const PREFILTERED = new PrefilteredPatterns(FAMILIES.map((family) => ({ regex: family.pattern, family })));

/** The first family a line belongs to, or null (the same as matchFamilyNaive, tested). */
export function matchFamily(text: string): Family | null {
  return PREFILTERED.first(text)?.family ?? null;
}
