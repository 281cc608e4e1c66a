import type http from "node:http";
import { randomUUID } from "node:crypto";
import { GraphQLError, GraphQLSchema } from "graphql";
import { CloseCode } from "graphql-ws";
import type * as GraphqlWsForWs from "graphql-ws/dist/use/ws.cjs";
import { WebSocket, WebSocketServer } from "ws";
import type { Actor } from "../../../workflows/actor";
import type { User } from "../../entity";
import type { Logger } from "../../ops/logger";
import type { Services } from "../../service";
import { actorOf } from "../context";
import { formatError } from "../format-error";
import type { DocumentLimits } from "../limits";
import type { Loaders } from "../loaders";
import type { SubscriptionContext } from "./subscription-context";

// The ws adapter is only reachable through the package's "exports" map, which this project's
// "node" module resolution does not read; the types come from the file the map points at.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useServer } = require("graphql-ws/use/ws") as typeof GraphqlWsForWs;

const BEARER = /^Bearer\s+(\S+)$/i;

export interface SubscriptionServer {
  /** Closes every subscription socket (code 1001, going away) and the WebSocket server. */
  close(): Promise<void>;
}

/**
 * graphql-ws on the HTTP server's upgrade requests to /graphql. The client authenticates once,
 * in `connectionParams.authorization` ("Bearer <token>", as the HTTP header); without a valid
 * token the socket is closed with 4401 Unauthorized before any operation runs. Each operation is
 * then authorised by the same @Authorized rules as queries.
 */
export function attachSubscriptions(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  services: Services;
  newLoaders: (actor: Actor | null) => Loaders;
  log: Logger;
  /** The request limits of HTTP (depth, aliases, tokens, …), applied to each subscription document. */
  documentLimits?: DocumentLimits;
}): SubscriptionServer {
  const { services, log } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: "/graphql" });
  const users = new WeakMap<WebSocket, User>();

  const handle = useServer(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization;
        const token = typeof header === "string" ? (BEARER.exec(header)?.[1] ?? header.trim()) : null;
        const user = token ? await services.auth.userForToken(token) : null;
        if (!user) {
          log.info({ event: "ws.rejected", reason: token ? "unknown token" : "no token" }, "subscription refused");
          ctx.extra.socket.close(CloseCode.Unauthorized, "Unauthorized");
          return false;
        }
        users.set(ctx.extra.socket, user);
        return true;
      },
      context: (ctx, id): SubscriptionContext => {
        const user = users.get(ctx.extra.socket) ?? null;
        const actor = user ? actorOf(user) : null;
        const requestId = randomUUID();
        const context: SubscriptionContext = {
          requestId,
          user,
          actor,
          services,
          loaders: options.newLoaders(actor),
          log: log.child({ requestId, subscriptionId: id }),
          renewLoaders: () => {
            context.loaders = options.newLoaders(actor);
          },
        };
        return context;
      },
      onSubscribe: (ctx, _id, payload) => {
        const userId = users.get(ctx.extra.socket)?.id ?? null;
        const violation = options.documentLimits?.check(payload.query, payload.variables);
        if (violation) {
          log.info({ event: "ws.refused", operationName: payload.operationName ?? null, userId, code: violation.code }, "subscription refused");
          return [new GraphQLError(violation.message, { extensions: { code: violation.code, ...violation.details } })];
        }
        log.info({ event: "ws.subscribe", operationName: payload.operationName ?? null, userId }, "subscription started");
      },
      // The same error shapes as over HTTP: coded errors as they are, internals hidden.
      onNext: (_ctx, _id, _payload, args, result) => {
        if (!("errors" in result) || !result.errors) return result;
        const requestId = (args.contextValue as SubscriptionContext | undefined)?.requestId ?? null;
        return {
          ...result,
          errors: result.errors.map((error) => {
            if (!(error instanceof GraphQLError)) return error;
            const formatted = formatError(error.toJSON(), error);
            if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR") {
              const original = error.originalError ?? error;
              log.error({ requestId, err: { type: original.name, stack: original.stack } }, original.message);
            }
            return formatted as GraphQLError;
          }),
        };
      },
    },
    wsServer,
  );

  return {
    close: async () => {
      for (const client of wsServer.clients) client.close(1001, "server shutting down");
      await handle.dispose();
    },
  };
}
