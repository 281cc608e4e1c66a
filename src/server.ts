import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { DataSource } from "typeorm";
import { unauthenticated } from "./common/errors";
import { actorOf, RequestContext } from "./api/context";
import { formatError } from "./api/format-error";
import { createLoaders } from "./api/loaders";
import { getSchema } from "./api/schema";
import { createServices } from "./service";
import { reportHandler } from "./report/http";
import { REVIEW_READERS } from "./common/roles";

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
export async function startServer(options: { dataSource: DataSource; port: number; host?: string }): Promise<RunningServer> {
  const { dataSource } = options;
  const services = createServices(dataSource);
  // Reference data the intake hooks need: the default keyword taxonomy, seeded once (idempotent).
  await services.keywords.ensureTaxonomy();
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<RequestContext>({
    schema: await getSchema(),
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    // `qloop serve` handles SIGINT/SIGTERM itself (server, background worker, database in order);
    // Apollo's own handler would re-raise the signal after stopping and cut that short.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

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
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => {
        const header = req.headers.authorization;
        let user = null;
        if (header) {
          const token = BEARER.exec(header)?.[1];
          user = token ? await services.auth.userForToken(token) : null;
          if (!user) throw unauthenticated("the bearer token is unknown or revoked");
        }
        return {
          requestId: (req.headers["x-request-id"] as string | undefined) ?? randomUUID(),
          user,
          actor: user ? actorOf(user) : null,
          services,
          loaders: createLoaders(dataSource),
        };
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host ?? "0.0.0.0", resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    stop: () => apollo.stop(),
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
