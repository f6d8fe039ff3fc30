import * as fs from 'node:fs';

/** Every process below `pid` (children, their children, …), from /proc (Linux). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // proc(5): the parent pid is the 2nd field after the parenthesised command.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
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
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
