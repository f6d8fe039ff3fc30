import { TRUST_OUTCOMES } from './policy-document';

// Known facts are checked by the compiler, which names the unknown one (see facts.ts).
const factName = { type: 'string', minLength: 1, maxLength: 64 };
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' };
const listName = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' };

/**
 * JSON Schema (draft-07) of a policy document: the shape. Meaning (thresholds in order, known
 * lists, valid semver and CIDR, no division by zero) is checked afterwards by compilePolicy.
 */
export const POLICY_SCHEMA = {
  $id: 'https://iot-identity-suite/schemas/policy-v1.json',
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'name', 'baseScore', 'thresholds', 'ttl', 'rules'],
  properties: {
    schema: { const: 'iis.policy/v1' },
    name: id,
    description: { type: 'string', maxLength: 1000 },
    baseScore: { type: 'number', minimum: 0, maximum: 100 },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      required: ['allow', 'allowShortTtl', 'restrict', 'quarantine'],
      properties: {
        allow: { type: 'number', minimum: 0, maximum: 100 },
        allowShortTtl: { type: 'number', minimum: 0, maximum: 100 },
        restrict: { type: 'number', minimum: 0, maximum: 100 },
        quarantine: { type: 'number', minimum: 0, maximum: 100 },
      },
    },
    ttl: {
      type: 'object',
      additionalProperties: false,
      required: ['allowSeconds', 'shortSeconds'],
      properties: {
        allowSeconds: { type: 'integer', minimum: 60, maximum: 31536000 },
        shortSeconds: { type: 'integer', minimum: 60, maximum: 31536000 },
        restrictSeconds: { type: 'integer', minimum: 60, maximum: 31536000 },
      },
    },
    hysteresis: {
      type: 'object',
      additionalProperties: false,
      required: ['points'],
      properties: { points: { type: 'number', minimum: 0, maximum: 100 } },
    },
    firmware: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minimum: { type: 'object', additionalProperties: { type: 'string', maxLength: 64 }, maxProperties: 1000 },
        vulnerable: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 10000 },
      },
    },
    lists: {
      type: 'object',
      maxProperties: 100,
      propertyNames: listName,
      additionalProperties: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 100000 },
    },
    rules: { type: 'array', maxItems: 1000, items: { $ref: '#/definitions/rule' } },
  },
  definitions: {
    rule: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'description', 'when'],
      properties: {
        id,
        description: { type: 'string', minLength: 1, maxLength: 300 },
        when: { $ref: '#/definitions/condition' },
        score: { type: 'number', minimum: -100, maximum: 100 },
        scorePer: {
          type: 'object',
          additionalProperties: false,
          required: ['fact', 'every', 'points'],
          properties: {
            fact: factName,
            // zero is refused by the compiler, with its own message: it would divide by zero
            every: { type: 'number' },
            points: { type: 'number', minimum: -100, maximum: 100 },
            limit: { type: 'number', minimum: -100, maximum: 100 },
          },
        },
        cap: { type: 'string', enum: [...TRUST_OUTCOMES] },
      },
    },
    condition: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['fact', 'op'],
          properties: {
            fact: factName,
            op: {
              type: 'string',
              enum: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'notIn', 'exists', 'missing', 'inCidr', 'notInCidr', 'semverLt', 'semverGte', 'semverSatisfies'],
            },
            value: {
              oneOf: [
                { type: ['string', 'number', 'boolean'] },
                { type: 'array', maxItems: 10000, items: { type: ['string', 'number'] } },
                { type: 'object', additionalProperties: false, required: ['list'], properties: { list: listName } },
              ],
            },
          },
        },
        { type: 'object', additionalProperties: false, required: ['all'], properties: { all: { type: 'array', minItems: 1, maxItems: 100, items: { $ref: '#/definitions/condition' } } } },
        { type: 'object', additionalProperties: false, required: ['any'], properties: { any: { type: 'array', minItems: 1, maxItems: 100, items: { $ref: '#/definitions/condition' } } } },
        { type: 'object', additionalProperties: false, required: ['not'], properties: { not: { $ref: '#/definitions/condition' } } },
      ],
    },
  },
} as const;
