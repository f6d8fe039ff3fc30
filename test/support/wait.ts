/** Polls `get()` until `pattern` matches, or fails after `ms` with what was seen (never a timing assertion). */
export function waitFor(get: () => string, pattern: RegExp, ms: number, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const until = Date.now() + ms;
    const t = setInterval(() => {
      const m = pattern.exec(get());
      if (m) {
        clearInterval(t);
        resolve(m);
      } else if (Date.now() > until) {
        clearInterval(t);
        reject(new Error(`${what} did not happen within ${ms} ms; output so far:\n${get()}`));
      }
    }, 25);
  });
}
