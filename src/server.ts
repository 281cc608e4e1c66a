import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { DataSource } from "typeorm";
import { unauthenticated } from "./common/errors";
import { actorOf, RequestContext } from "./api/context";
import { formatError } from "./api/format-error";
import { createLoaders } from "./api/loaders";
import { NO_ONE } from "./auth/policy";
import { getSchema } from "./api/schema";
import { DocumentLimits, LimitsConfig, limitPlugins, requestLimits, resolveLimits } from "./api/limits";
import { withIdempotency } from "./api/idempotency/idempotency.middleware";
import { explorerEnabled, explorerRouter } from "./api/explorer/explorer";
import { apolloSchemaOptions } from "./api/jit/jit-gateway";
import { createServices } from "./service";
import { reportHandler } from "./report/http";
import { REVIEW_READERS } from "./common/roles";
import { attachSubscriptions } from "./api/subscriptions/ws-server";
import { Logger, silentLogger } from "./ops/logger";
import { createMetrics } from "./ops/metrics";
import { graphqlLogPlugin, requestLogMiddleware } from "./ops/request-log";

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Serves GraphQL at /graphql over `dataSource` (already initialised and migrated).
 * Port 0 picks a free port, which the tests use.
 */
export async function startServer(options: { dataSource: DataSource; port: number; host?: string; limits?: Partial<LimitsConfig>; log?: Logger; shutdownTimeoutMs?: number }): Promise<RunningServer> {
  const { dataSource } = options;
  const log = options.log ?? silentLogger;
  const metrics = createMetrics(dataSource);
  const limits = resolveLimits(options.limits);
  const services = createServices(dataSource);
  // Reference data the intake hooks need: the default keyword taxonomy, seeded once (idempotent).
  await services.keywords.ensureTaxonomy();
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<RequestContext>({
    ...apolloSchemaOptions(await getSchema()),
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    introspection: limits.mode !== "production",
    // Every request carries its document, so the limits in front of Apollo can always read it.
    persistedQueries: false,
    plugins: [
      // stop() lets requests in flight finish for up to shutdownTimeoutMs (default 10 s).
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownTimeoutMs ?? 10_000 }),
      ...limitPlugins(limits),
      metrics.apolloPlugin,
      graphqlLogPlugin<RequestContext>(log),
      // Apollo's landing page loads Sandbox from a CDN; the offline explorer replaces it.
      ApolloServerPluginLandingPageDisabled(),
      // qloop sets no cache hints; Apollo's default cache-control plugin still hooks every field
      // resolved (W1: execution 2.3× faster without it, bench/results/W1-*.md).
      ApolloServerPluginCacheControlDisabled(),
    ],
    // `qloop serve` handles SIGINT/SIGTERM itself (server, background worker, database in order);
    // Apollo's own handler would re-raise the signal after stopping and cut that short.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  app.use(requestLogMiddleware(log));
  app.get("/metrics", metrics.handler);

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  // Readiness for load balancers: the process is up (healthz) but should only get traffic once
  // its database answers and carries every migration this build expects.
  app.get("/readyz", async (_req, res) => {
    const readiness = await checkReadiness(dataSource);
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  // Report documents (HTML or Markdown) for the weekly meeting and the monthly review.
  app.get("/reports/:kind", reportHandler(services, REVIEW_READERS));
  app.use("/graphql", explorerRouter({ enabled: explorerEnabled(limits.mode) }));
  app.use(
    "/graphql",
    ...requestLimits(limits, await getSchema()),
    withIdempotency(dataSource, services.auth, expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => {
        const header = req.headers.authorization;
        let user = null;
        if (header) {
          const token = BEARER.exec(header)?.[1];
          user = token ? await services.auth.userForToken(token) : null;
          if (!user) throw unauthenticated("the bearer token is unknown or revoked", 401);
        }
        return {
          requestId: (req.headers["x-request-id"] as string | undefined) ?? randomUUID(),
          user,
          actor: user ? actorOf(user) : null,
          services,
          loaders: createLoaders(dataSource, user ? actorOf(user) : NO_ONE),
          log: log.child({ requestId: req.headers["x-request-id"] as string }),
        };
      },
    })),
  );

  // Subscriptions (graphql-ws) on the same port and path, over WebSocket upgrades.
  const subscriptions = attachSubscriptions({
    httpServer,
    schema: await getSchema(),
    services,
    newLoaders: (actor) => createLoaders(dataSource, actor ?? NO_ONE),
    log,
    documentLimits: new DocumentLimits(await getSchema(), limits),
  });

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host ?? "0.0.0.0", resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    // Subscribers are told to go away; then the listener closes (new connections are refused)
    // while requests in flight finish.
    stop: async () => {
      await subscriptions.close();
      await apollo.stop();
      metrics.close();
    },
  };
}

export interface Readiness {
  ready: boolean;
  /** Why not, e.g. "database unreachable" or "migrations pending"; empty when ready. */
  problems: string[];
}

/** Whether the database answers and no migration of this build is pending on it. */
export async function checkReadiness(dataSource: DataSource): Promise<Readiness> {
  try {
    await dataSource.query("SELECT 1");
  } catch {
    return { ready: false, problems: ["database unreachable"] };
  }
  const pending = await dataSource.showMigrations();
  return pending ? { ready: false, problems: ["migrations pending"] } : { ready: true, problems: [] };
}
