import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import Fastify from "fastify";
import type { GraphQLSchema } from "graphql";
import mercurius from "mercurius";
import { formatError } from "../../src/api/format-error";
import { apolloSchemaOptions } from "../../src/api/jit/jit-gateway";

export { W1_EXPECTED, W1_ISSUES, W1_QUERY, w1Schema } from "./w1-schema";

export interface Peer {
  url: string;
  stop(): Promise<void>;
}

/**
 * qloop's GraphQL layer: Express 5 and Apollo Server 5 with the options `startServer` gives it
 * (formatError, CSRF prevention, no batching, the drain plugin, Apollo's cache-control plugin
 * disabled, and graphql-jit through the gateway when `jit`), over W1's in-memory schema and
 * without the database or qloop's own plugins (limits, metrics, logs): the ceiling of the
 * server's GraphQL layer. `cacheControl` puts Apollo's default cache-control plugin back, as
 * before it was disabled, to measure that lever.
 */
export async function startQloopLayer(graphqlSchema: GraphQLSchema, jit: boolean, cacheControl = false): Promise<Peer> {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer({
    ...apolloSchemaOptions(graphqlSchema, jit),
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(cacheControl ? [] : [ApolloServerPluginCacheControlDisabled()]),
    ],
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  app.use("/graphql", express.json({ limit: "1mb" }), expressMiddleware(apollo, { context: async () => ({}) }));
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/graphql`, stop: () => apollo.stop() };
}

/** Stock Apollo Server 5 (standalone, every default) over the same type-graphql schema. */
export async function startStockApollo(graphqlSchema: GraphQLSchema): Promise<Peer> {
  const apollo = new ApolloServer({ schema: graphqlSchema });
  const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: "127.0.0.1" } });
  return { url, stop: () => apollo.stop() };
}

/** Fastify + mercurius with graphql-jit (compiling each query from its first run) over the same schema. */
export async function startMercuriusJit(graphqlSchema: GraphQLSchema): Promise<Peer> {
  const app = Fastify();
  await app.register(mercurius, { schema: graphqlSchema, jit: 1, path: "/graphql" });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/graphql`, stop: () => app.close() };
}
