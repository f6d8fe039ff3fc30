import { DomainError, ErrorCode } from '@iis/contracts';

/** A refused policy: `path` is a JSON pointer to the offending field, e.g. `/rules/3/when/fact`. */
export function policyInvalid(path: string, message: string): DomainError {
  return new DomainError(ErrorCode.BadRequest, `policy refused at ${path || '/'}: ${message}`);
}
