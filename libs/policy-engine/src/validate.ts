import Ajv, { ErrorObject } from 'ajv';
import { policyInvalid } from './policy-error';
import type { PolicyDocument } from './policy-document';
import { POLICY_SCHEMA } from './policy.schema';

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validateShape = ajv.compile<PolicyDocument>(POLICY_SCHEMA);

/** Shape check with ajv; throws a BadRequest DomainError naming the offending field's path. */
export function validatePolicyShape(doc: unknown): PolicyDocument {
  if (validateShape(doc)) return doc;
  const err = mostSpecific(validateShape.errors ?? []);
  if (!err) throw policyInvalid('/', 'does not match the policy schema');
  const extra =
    err.keyword === 'additionalProperties'
      ? `/${String((err.params as { additionalProperty: string }).additionalProperty)}`
      : err.propertyName !== undefined
        ? `/${err.propertyName}`
        : '';
  const message = err.keyword === 'additionalProperties' ? 'unknown field' : (err.message ?? 'invalid');
  throw policyInvalid(err.instancePath + extra, message);
}

/** With oneOf (conditions), ajv reports every branch; the deepest path is the one a person fixes. */
function mostSpecific(errors: ErrorObject[]): ErrorObject | undefined {
  const depth = (e: ErrorObject) => e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 1 : 0);
  const relevant = errors.filter((e) => e.keyword !== 'oneOf');
  return [...(relevant.length ? relevant : errors)].sort((a, b) => depth(b) - depth(a))[0];
}
