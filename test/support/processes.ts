import * as fs from 'node:fs';

/**
 * The fields of /proc/<pid>/stat after the parenthesised command (proc(5): state is [0], the
 * parent pid [1], utime [11], stime [12]); undefined once the process is gone. The command may
 * itself hold ") ", so the fields start after the last one.
 */
export function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Every process below `pid` (children, their children, …), from /proc (Linux). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (!fields) continue;
    const ppid = Number(fields[1]);
    const siblings = children.get(ppid);
    if (siblings) siblings.push(Number(entry));
    else children.set(ppid, [Number(entry)]);
  }
  const found: number[] = [];
  const walk = (p: number) =>
    (children.get(p) ?? []).forEach((c) => {
      found.push(c);
      walk(c);
    });
  walk(pid);
  return found;
}

/** Whether `pid` still runs (a zombie waiting for its parent counts as gone). */
export function alive(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== undefined && fields[0] !== 'Z';
}
