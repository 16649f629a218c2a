// The text of the system-wide proc files (/proc/meminfo, stat, uptime, loadavg, version,
// filesystems), formatted as Linux 6.1 does (fs/proc/meminfo.c, stat.c, uptime.c, loadavg.c,
// version.c; proc(5)).

import type { ProcCpuStat, ProcSource } from './proc_source.js';
import { kbLine, ticksToSeconds } from './procfs_format.js';

export function uptimeText(src: ProcSource): string {
  const { up, idle } = src.uptime();
  return `${ticksToSeconds(up)} ${ticksToSeconds(idle)}\n`;
}

export function loadavgText(src: ProcSource): string {
  const l = src.loadavg();
  return `${l.load1.toFixed(2)} ${l.load5.toFixed(2)} ${l.load15.toFixed(2)} ${l.running}/${l.total} ${l.lastPid}\n`;
}

/** linux_proc_banner: "%s version %s (user@host) (compiler) %s". */
export function versionText(src: ProcSource): string {
  const u = src.uts();
  return `${u.sysname} version ${u.release} (root@tsvisor) (tsvisor) ${u.version}\n`;
}

const CPU_COLUMNS: readonly (keyof ProcCpuStat)[] = [
  'user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guestNice',
];

export function statText(src: ProcSource): string {
  const st = src.stat();
  const sum = CPU_COLUMNS.map((k) => st.cpus.reduce((a, c) => a + c[k], 0));
  let s = `cpu  ${sum.join(' ')}\n`;
  st.cpus.forEach((c, i) => { s += `cpu${i} ${CPU_COLUMNS.map((k) => c[k]).join(' ')}\n`; });
  s += `intr ${st.interrupts}\nctxt ${st.contextSwitches}\nbtime ${st.bootTime}\nprocesses ${st.processes}\n`;
  s += `procs_running ${st.running}\nprocs_blocked ${st.blocked}\n`;
  s += `softirq 0${' 0'.repeat(10)}\n`; // the total, then NR_SOFTIRQS counters
  return s;
}

/** VmallocTotal on x86-64 with 4-level paging (VMALLOC_SIZE_TB = 32 TiB, less a page). */
const VMALLOC_TOTAL_KB = 34359738367;

export function meminfoText(src: ProcSource): string {
  const m = src.meminfo();
  const lines: [string, number][] = [
    ['MemTotal', m.total], ['MemFree', m.free], ['MemAvailable', m.available], ['Buffers', m.buffers],
    ['Cached', m.cached], ['SwapCached', 0],
    ['Active', m.anon + m.cached], ['Inactive', 0], ['Active(anon)', m.anon], ['Inactive(anon)', 0],
    ['Active(file)', m.cached], ['Inactive(file)', 0], ['Unevictable', 0], ['Mlocked', 0],
    ['SwapTotal', 0], ['SwapFree', 0], ['Zswap', 0], ['Zswapped', 0], ['Dirty', 0], ['Writeback', 0],
    ['AnonPages', m.anon], ['Mapped', m.mapped], ['Shmem', m.shmem], ['KReclaimable', 0], ['Slab', 0],
    ['SReclaimable', 0], ['SUnreclaim', 0], ['KernelStack', 0], ['PageTables', 0], ['NFS_Unstable', 0],
    ['Bounce', 0], ['WritebackTmp', 0], ['CommitLimit', m.commitLimit], ['Committed_AS', m.committed],
  ];
  let s = lines.map(([k, v]) => kbLine(k, v)).join('');
  s += `VmallocTotal:   ${VMALLOC_TOTAL_KB} kB\n`;
  const tail: [string, number][] = [
    ['VmallocUsed', 0], ['VmallocChunk', 0], ['Percpu', 0], ['HardwareCorrupted', 0],
    ['AnonHugePages', 0], ['ShmemHugePages', 0], ['ShmemPmdMapped', 0], ['FileHugePages', 0], ['FilePmdMapped', 0],
  ];
  s += tail.map(([k, v]) => kbLine(k, v)).join('');
  for (const k of ['HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp']) {
    s += `${k}:`.padEnd(19) + '0'.padStart(5) + '\n';
  }
  s += kbLine('Hugepagesize', 2048 * 1024) + kbLine('Hugetlb', 0);
  s += kbLine('DirectMap4k', m.total) + kbLine('DirectMap2M', 0) + kbLine('DirectMap1G', 0);
  return s;
}

export function filesystemsText(src: ProcSource): string {
  return src.filesystems().map((f) => `${f.nodev ? 'nodev' : ''}\t${f.name}\n`).join('');
}
