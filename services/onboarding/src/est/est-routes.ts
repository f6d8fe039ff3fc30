import { DomainError, ErrorCode } from '@iis/contracts';
import type { EstOperation } from '../authorizers/enrollment-authorizer';

/** The EST operations of RFC 7030 this server answers (4.1, 4.5, and the enrollments 4.2.1, 4.2.2, 4.4). */
export type EstOperationName = 'cacerts' | 'csrattrs' | EstOperation;

export interface EstRoute {
  operation: EstOperationName;
  /** The label segment (RFC 7030 3.2.2), percent-decoded; undefined without one. */
  label: string | undefined;
}

/** The one method each operation takes (HEAD also reaches the GET ones). */
export const EST_METHODS: Record<EstOperationName, 'GET' | 'POST'> = {
  cacerts: 'GET',
  csrattrs: 'GET',
  simpleenroll: 'POST',
  simplereenroll: 'POST',
  serverkeygen: 'POST',
};

/**
 * RFC 7030 3.2.2: /.well-known/est/[<label>/]<operation>. Matched as the Express routes that
 * served EST before matched them: any case, an optional trailing slash, the query and fragment
 * ignored, and the absolute form of the target (RFC 9112 3.2.2) read for its path.
 */
const EST_PATH = /^\/\.well-known\/est\/(?:([^/]+)\/)?(cacerts|csrattrs|simpleenroll|simplereenroll|serverkeygen)\/?$/i;

/** The EST operation a request target names, or null when it names none. A label that is not valid percent-encoding is a 400. */
export function matchEstRoute(target: string): EstRoute | null {
  const m = EST_PATH.exec(pathOf(target));
  if (!m) return null;
  let label: string | undefined;
  if (m[1] !== undefined) {
    try {
      label = decodeURIComponent(m[1]);
    } catch {
      throw new DomainError(ErrorCode.BadRequest, `the EST label segment "${m[1].slice(0, 64)}" is not valid percent-encoding`);
    }
  }
  return { operation: m[2].toLowerCase() as EstOperationName, label };
}

/** The path of a request target: origin form as it is, absolute form without scheme and authority; no query, no fragment. */
function pathOf(target: string): string {
  let path = target;
  if (!path.startsWith('/')) {
    const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(path);
    path = authority ? path.slice(authority[0].length) : path;
  }
  const end = path.search(/[?#]/);
  return end < 0 ? path : path.slice(0, end);
}
