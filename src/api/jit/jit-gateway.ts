import type {
  GatewayExecutor,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from "@apollo/server-gateway-interface";
import {
  BREAK,
  DocumentNode,
  execute,
  ExecutionResult,
  getNamedType,
  GraphQLSchema,
  isAbstractType,
  isInputObjectType,
  OperationDefinitionNode,
  typeFromAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import { CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";
import { ConfigError } from "../../config";

/** Compiled operations kept per server; a full cache is emptied rather than tracked per entry. */
const MAX_COMPILED_OPERATIONS = 1_000;

/** An operation graphql-js runs instead of jit (see `jitCanRun`). */
const INTERPRETED = Symbol("interpreted");

/**
 * graphql-jit behind Apollo Server 5. Apollo has no `executor` option; its `gateway` interface is
 * the one place an executor can be plugged in. Apollo still parses, validates (with every
 * validation rule given to it), builds the context and runs every plugin hook: the request-level
 * ones and, measured, even `willResolveField` (Apollo wraps the schema's resolvers in place, and
 * jit calls the wrapped ones: 341 calls for W1's query either way). What no longer applies are
 * Apollo's `fieldResolver`, `rootValue` and `executionOptions` settings (qloop sets none) and
 * incremental delivery (@defer/@stream, which qloop's schema does not offer).
 *
 * Each operation is compiled once per server (keyed by Apollo's hash of the query text and the
 * operation name) and then run as generated JavaScript — when `jitCanRun` says jit gives the same
 * answer; the other operations run on graphql-js, as without jit.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  const compiled = new Map<string, CompiledQuery | ExecutionResult | typeof INTERPRETED>();

  const executor: GatewayExecutor = async (request) => {
    const key = `${request.queryHash}:${request.operationName ?? ""}`;
    let query = compiled.get(key);
    if (!query) {
      if (compiled.size >= MAX_COMPILED_OPERATIONS) compiled.clear();
      query = jitCanRun(schema, request.document, request.operation)
        ? compileQuery(schema, request.document, request.operationName ?? undefined)
        : INTERPRETED;
      compiled.set(key, query);
    }
    const variables = request.request.variables ?? {};
    if (query === INTERPRETED) {
      return execute({
        schema,
        document: request.document,
        contextValue: request.context,
        variableValues: variables,
        operationName: request.operationName,
      });
    }
    // A document that cannot be compiled comes back as an ExecutionResult with its errors.
    if (!isCompiledQuery(query)) return query;
    return query.query(undefined, request.context, variables);
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: "" });
      return { executor };
    },
    async stop() {
      listeners.clear();
      compiled.clear();
    },
  };
}

/**
 * Whether jit runs this operation as graphql-js would. Not for mutations and subscriptions (they
 * are bound by the database, not by execution), nor for operations that
 * - pass input objects: jit coerces them differently (defaults of input fields given through
 *   variables are not applied, zalando-incubator/graphql-jit#142; fields missing from a literal
 *   become null, #230), and type-graphql's validated input classes rely on the graphql-js way;
 * - select a union or interface: type-graphql's `resolveType` functions are async, and jit calls
 *   them synchronously ("must resolve to an Object type at runtime").
 */
export function jitCanRun(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== "query") return false;
  let runs = true;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      ObjectValue() {
        runs = false;
        return BREAK;
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type as never);
        if (type && isInputObjectType(getNamedType(type))) {
          runs = false;
          return BREAK;
        }
        return undefined;
      },
      Field() {
        const type = typeInfo.getType();
        if (type && isAbstractType(getNamedType(type))) {
          runs = false;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return runs;
}

/**
 * Whether queries run through graphql-jit: QLOOP_JIT=on|off. Off by default — see
 * bench/results/W1-*.md for what it gains, and the README for why it is not the default.
 */
export function jitEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.QLOOP_JIT;
  if (raw === undefined || raw.trim() === "" || raw === "off") return false;
  if (raw === "on") return true;
  throw new ConfigError("QLOOP_JIT", `"${raw}" is neither on nor off`);
}

/** Apollo Server's schema options: the schema itself, or the graphql-jit gateway over it. */
export function apolloSchemaOptions(
  schema: GraphQLSchema,
  jit = jitEnabled(),
): { schema: GraphQLSchema; gateway?: undefined } | { gateway: GatewayInterface; schema?: undefined } {
  return jit ? { gateway: jitGateway(schema) } : { schema };
}
