/**
 * Unit specs live beside the code (`*.spec.ts`). SWC compiles TypeScript, and also the
 * ESM-only NATS client packages, to CommonJS for jest's module system. Specs stay away
 * from NestJS itself (ESM with import.meta): Nest wiring is covered by the e2e tests, which
 * run the built services as real processes.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = {
  '^@iis/(contracts|config|persistence|pki|messaging|revocation-client|runtime|policy-engine|attestation)$': '<rootDir>/libs/$1/src',
};

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|m?j)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nats-io)/)'],
  moduleNameMapper,
  testMatch: ['<rootDir>/{libs,services,tools,bench,deploy}/**/*.spec.ts'],
};

