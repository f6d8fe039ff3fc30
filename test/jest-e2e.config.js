/**
 * End-to-end tests: real nats-server, real SQLite (and PostgreSQL where reachable), the
 * built services as separate processes, openssl and curl as the device.
 */
const unit = require('../jest.config.js');

module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  transform: unit.transform,
  transformIgnorePatterns: unit.transformIgnorePatterns,
  moduleNameMapper: unit.moduleNameMapper,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 120000,
  maxWorkers: 1,
};
