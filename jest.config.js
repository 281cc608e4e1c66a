/** Jest runs TypeScript through SWC with legacy decorators and metadata, which type-graphql and TypeORM need. */
const swcOptions = {
  jsc: {
    parser: { syntax: "typescript", decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: "es2022",
  },
  module: { type: "commonjs" },
};

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/workflows", "<rootDir>/src", "<rootDir>/test"],
  testMatch: ["**/*.spec.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", swcOptions] },
  setupFiles: ["reflect-metadata"],
  testTimeout: 60000,
};
