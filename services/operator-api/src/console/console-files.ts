import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Content-Security-Policy of every console response: scripts, styles and data only from the
 * API's own origin, no inline script, no framing, no plugins. React renders every field as a
 * text node, and this header is the second wall if a field ever were not.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const CONSOLE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** The built console (`npm run build` writes it to dist/console), next to the built operator API. */
export function consoleRoot(compiledDir: string): string {
  // dist/services/operator-api/src/console → dist/console
  return path.resolve(compiledDir, '..', '..', '..', '..', 'console');
}

/**
 * The file a console URL names, inside the root and nowhere else; index.html for the page
 * itself and for any path that is not a file (the console routes in the URL fragment).
 * Undefined when the console has not been built.
 */
export function consoleFile(root: string, urlPath: string | undefined): string | undefined {
  const index = path.join(root, 'index.html');
  if (!fs.existsSync(index)) return undefined;
  const wanted = path.resolve(root, '.' + path.posix.normalize('/' + (urlPath ?? '')));
  if (wanted !== root && !wanted.startsWith(root + path.sep)) return index;
  try {
    if (fs.statSync(wanted).isFile()) return wanted;
  } catch {
    // not a file: the page itself
  }
  return index;
}
