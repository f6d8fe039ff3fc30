/** Reads one environment, fails on the first bad variable with a message that names it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export class EnvReader {
  constructor(private readonly env: Env = process.env) {}

  string(name: string, fallback: string): string {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? fallback : raw;
  }

  optional(name: string): string | undefined {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  int(name: string, fallback: number, bounds: { min?: number; max?: number } = {}): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
    const value = Number(raw);
    if (bounds.min !== undefined && value < bounds.min) throw new ConfigError(name, `must be >= ${bounds.min}, got ${value}`);
    if (bounds.max !== undefined && value > bounds.max) throw new ConfigError(name, `must be <= ${bounds.max}, got ${value}`);
    return value;
  }

  port(name: string, fallback: number): number {
    return this.int(name, fallback, { min: 0, max: 65535 });
  }

  /** `value` checks one part of a variable (e.g. one URL of a list) instead of the whole. */
  url(name: string, fallback: string | undefined, protocols: string[], value?: string): string | undefined {
    const raw = value ?? this.optional(name) ?? fallback;
    if (raw === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(name, `not a URL: "${redact(raw)}"`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(name, `expected ${protocols.join(' or ')} URL, got "${parsed.protocol}"`);
    }
    return raw;
  }
}

/** Hides a password in a URL before it is printed. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/g, '//$1:***@');
}
