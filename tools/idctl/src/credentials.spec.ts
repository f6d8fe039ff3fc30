import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CredentialsError, resolveToken } from './credentials';
import { ExitCode } from './exit-codes';

// Real files in a temp dir: resolution order, modes and messages as the CLI sees them.
describe('resolveToken', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idctl-cred-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(rel: string, content: string, mode = 0o600): string {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    fs.chmodSync(file, mode);
    return file;
  }

  function thrown(run: () => unknown): CredentialsError {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(CredentialsError);
      return e as CredentialsError;
    }
    throw new Error('expected a CredentialsError');
  }

  describe('order', () => {
    it('ok/IDCTL_TOKEN first, even when both files exist', () => {
      const named = write('named-token', 'from-named-file');
      write('data/operator-token', 'from-data-dir');
      const r = resolveToken({ IDCTL_TOKEN: 'from-env', IDCTL_TOKEN_FILE: named }, dir);
      expect(r).toEqual({ token: 'from-env', source: 'IDCTL_TOKEN', warnings: [] });
    });

    it('ok/IDCTL_TOKEN_FILE next, before the data dir', () => {
      const named = write('named-token', 'from-named-file\n');
      write('data/operator-token', 'from-data-dir');
      expect(resolveToken({ IDCTL_TOKEN_FILE: named }, dir)).toMatchObject({ token: 'from-named-file', source: named });
    });

    it('ok/IDCTL_TOKEN_FILE relative to the working directory', () => {
      const named = write('secrets/token', 'relative');
      expect(resolveToken({ IDCTL_TOKEN_FILE: 'secrets/token' }, dir)).toMatchObject({ token: 'relative', source: named });
    });

    it('ok/DATA_DIR/operator-token last', () => {
      const file = write('suite-data/operator-token', 'from-data-dir\n');
      expect(resolveToken({ DATA_DIR: path.join(dir, 'suite-data') }, dir)).toMatchObject({ token: 'from-data-dir', source: file });
    });

    it('ok/./data/operator-token when DATA_DIR is unset', () => {
      const file = write('data/operator-token', 'default-place');
      expect(resolveToken({}, dir)).toMatchObject({ token: 'default-place', source: file });
    });

    it('ok/an empty IDCTL_TOKEN counts as unset', () => {
      write('data/operator-token', 'default-place');
      expect(resolveToken({ IDCTL_TOKEN: '' }, dir).token).toBe('default-place');
    });
  });

  describe('failures', () => {
    it('fail/none: exits 2 and says how to provide one', () => {
      const e = thrown(() => resolveToken({}, dir));
      expect(e.exitCode).toBe(ExitCode.Usage);
      const text = [e.message, ...e.hints].join('\n');
      expect(text).toContain('IDCTL_TOKEN');
      expect(text).toContain('IDCTL_TOKEN_FILE');
      expect(text).toContain(path.join(dir, 'data', 'operator-token'));
    });

    it('fail/IDCTL_TOKEN_FILE missing: an error naming it, no silent fallback to the data dir', () => {
      write('data/operator-token', 'would-be-fallback');
      const e = thrown(() => resolveToken({ IDCTL_TOKEN_FILE: path.join(dir, 'nope') }, dir));
      expect(e.exitCode).toBe(ExitCode.Usage);
      expect(e.message).toContain('IDCTL_TOKEN_FILE');
      expect(e.message).toContain('ENOENT');
    });

    it('fail/the default token path is a directory', () => {
      fs.mkdirSync(path.join(dir, 'data', 'operator-token'), { recursive: true });
      expect(thrown(() => resolveToken({}, dir)).message).toContain('EISDIR');
    });

    it('fail/empty token file', () => {
      write('data/operator-token', '\n');
      expect(thrown(() => resolveToken({}, dir)).message).toContain('is empty');
    });

    it('fail/token with a line break inside', () => {
      expect(thrown(() => resolveToken({ IDCTL_TOKEN: 'abc\ndef' }, dir)).message).toContain('IDCTL_TOKEN contains');
    });

    it('never puts the token in a message', () => {
      const e = thrown(() => resolveToken({ IDCTL_TOKEN: 'sekrit value' }, dir));
      expect([e.message, ...e.hints].join('\n')).not.toContain('sekrit');
    });
  });

  describe('permission warning', () => {
    it.each([
      ['ok/0600 is quiet', 0o600, false],
      ['ok/0400 is quiet', 0o400, false],
      ['warn/0644 readable by all', 0o644, true],
      ['warn/0640 readable by group', 0o640, true],
      ['warn/0602 writable by others', 0o602, true],
    ])('%s', (_name, mode, warns) => {
      const file = write('data/operator-token', 'tok', mode);
      const r = resolveToken({}, dir, 'linux');
      expect(r.token).toBe('tok');
      if (warns) {
        expect(r.warnings).toHaveLength(1);
        expect(r.warnings[0]).toContain(file);
        expect(r.warnings[0]).toContain(`mode 0${mode.toString(8)}`);
        expect(r.warnings[0]).toContain(`chmod 600 ${file}`);
      } else {
        expect(r.warnings).toEqual([]);
      }
    });

    it('ok/no warning on Windows, where the mode bits mean nothing', () => {
      write('data/operator-token', 'tok', 0o644);
      expect(resolveToken({}, dir, 'win32').warnings).toEqual([]);
    });
  });
});
