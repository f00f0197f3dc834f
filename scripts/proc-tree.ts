/**
 * A process and its descendants as /proc shows them (Linux): the worker reads documents in
 * child processes, so its memory, CPU, open files and sockets are those of the whole tree.
 * Used by the benchmarks and the soak run.
 */
import fs from 'node:fs';

/** RSS (MB) of a process and all its descendants: the worker parses documents in child processes. */
export function treeRssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        const kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/) : []) visit(Number(k));
      }
    } catch {
      // the process ended between listing and reading
    }
  };
  visit(pid);
  return kb / 1024;
}

/** CPU seconds used by a process tree: its own, its reaped children's, and its live descendants'. */
export function treeCpuSeconds(pid: number): number {
  const tick = 100; // USER_HZ on Linux
  let ticks = 0;
  const visit = (p: number) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += [11, 12, 13, 14].reduce((a, i) => a + Number(f[i] ?? 0), 0); // utime stime cutime cstime
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        const kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/) : []) visit(Number(k));
      }
    } catch {
      // ended meanwhile
    }
  };
  visit(pid);
  return ticks / tick;
}

/** The pids of a process and its live descendants. */
export function treePids(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    try {
      fs.accessSync(`/proc/${p}/task`);
      out.push(p);
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        const kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/) : []) visit(Number(k));
      }
    } catch {
      // ended meanwhile
    }
  };
  visit(pid);
  return out;
}

/** Open file descriptors of a process tree, and how many of them are sockets. */
export function treeFds(pid: number): { fds: number; sockets: number } {
  let fds = 0;
  let sockets = 0;
  for (const p of treePids(pid)) {
    try {
      for (const fd of fs.readdirSync(`/proc/${p}/fd`)) {
        fds++;
        try {
          if (fs.readlinkSync(`/proc/${p}/fd/${fd}`).startsWith('socket:')) sockets++;
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // ended meanwhile
    }
  }
  return { fds, sockets };
}

/** The tree's TCP connections by the remote port they go to (sockets matched to /proc/net/tcp{,6} by inode). */
export function treeTcpByPeerPort(pid: number): Map<number, number> {
  const inodes = new Set<string>();
  for (const p of treePids(pid)) {
    try {
      for (const fd of fs.readdirSync(`/proc/${p}/fd`)) {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${p}/fd/${fd}`));
          if (m?.[1]) inodes.add(m[1]);
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // ended meanwhile
    }
  }
  const byPort = new Map<number, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = fs.existsSync(table) ? fs.readFileSync(table, 'utf8') : '';
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local rem st ... inode (field 9); 0A is LISTEN: not a connection
      if (f.length < 10 || f[3] === '0A' || !inodes.has(f[9] ?? '')) continue;
      const port = parseInt((f[2] ?? '').split(':')[1] ?? '', 16);
      if (Number.isFinite(port)) byPort.set(port, (byPort.get(port) ?? 0) + 1);
    }
  }
  return byPort;
}
