import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { consoleFile, consoleRoot, CONSOLE_CSP } from './console-files';

describe('console files', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-console-'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), '');
  fs.writeFileSync(path.join(os.tmpdir(), 'iis-console-secret.txt'), 'no');

  it.each([
    ['ok/the page', undefined, 'index.html'],
    ['ok/an asset', 'assets/app.js', 'assets/app.js'],
    ['ok/unknown path is the page', 'device/SN-1', 'index.html'],
    ['ok/a folder is the page', 'assets', 'index.html'],
    ['fail/parent traversal stays inside', '../iis-console-secret.txt', 'index.html'],
    ['fail/encoded-looking traversal stays inside', 'assets/../../iis-console-secret.txt', 'index.html'],
    ['fail/absolute path stays inside', '/etc/passwd', 'index.html'],
  ])('%s', (_n, url, expected) => {
    expect(consoleFile(root, url)).toBe(path.join(root, expected));
  });

  it('fail/nothing served before the console is built', () => {
    expect(consoleFile(path.join(root, 'missing'), 'index.html')).toBeUndefined();
  });

  it('ok/the built API finds dist/console', () => {
    expect(consoleRoot('/r/dist/services/operator-api/src/console')).toBe('/r/dist/console');
  });

  it('ok/the policy allows no inline script and no framing', () => {
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
  });
});
