import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { DataSource, In, IsNull, LessThan, Not } from "typeorm";
import { clockOf } from "../common/clock";
import { todayUtc } from "../common/validation";
import { ActionItem, OutboxMessage, SlaEscalation } from "../entity";
import { MessageStatus } from "../notify/message-kind";
import { liveEventsOf } from "../api/subscriptions/live-events";

/** Operation names are chosen by clients; past this many distinct ones the rest share a label. */
const MAX_OPERATION_LABELS = 200;
const OTHER_OPERATIONS = "_other";
const FINISHED_ACTION_STATES = ["done", "cancelled"];

export interface Metrics {
  registry: Registry;
  /** Apollo plugin timing every GraphQL request by operation. */
  apolloPlugin: ApolloServerPlugin;
  /** GET /metrics in the Prometheus text format. */
  handler: RequestHandler;
  /** Stops counting transitions (the server is stopping). */
  close(): void;
}

/**
 * The server's Prometheus metrics, in a registry of its own (several servers may run in one test
 * process). Two kinds:
 *
 * - counted in this process: request latency, and transitions committed through this process —
 *   sum them over processes;
 * - read from the database at scrape time: SLA breaches, overdue actions, outbox lag — the same
 *   value in every process, whichever process (or `qloop sweep`) did the work — take the max.
 */
export function createMetrics(dataSource: DataSource): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "qloop_process_" });

  const latency = new Histogram({
    name: "qloop_graphql_request_duration_seconds",
    help: "GraphQL request latency by operation name and type (query, mutation).",
    labelNames: ["operation", "type", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const seenOperations = new Set<string>();
  const operationLabel = (name: string | null | undefined) => {
    const label = name ? name.slice(0, 64) : "anonymous";
    if (seenOperations.has(label)) return label;
    if (seenOperations.size >= MAX_OPERATION_LABELS) return OTHER_OPERATIONS;
    seenOperations.add(label);
    return label;
  };

  const transitions = new Counter({
    name: "qloop_workflow_transitions_total",
    help: "Workflow transitions committed by this process, by machine (entity type) and event.",
    labelNames: ["machine", "event"] as const,
    registers: [registry],
  });
  const bus = liveEventsOf(dataSource);
  const stopCounting = bus.listen("transition", (transition) => {
    transitions.inc({ machine: transition.entityType, event: transition.event });
  });
  new Gauge({
    name: "qloop_subscriptions_open",
    help: "GraphQL subscriptions (live updates) open in this process.",
    registers: [registry],
    collect() {
      this.set(bus.openSubscriptions());
    },
  });

  // A counter whose value is read from the append-only escalation table: it only grows, and it
  // is right whichever process escalated.
  new Counter({
    name: "qloop_sla_breaches_total",
    help: "Complaint SLA stages breached so far (escalated at level 1), by stage; read from the database.",
    labelNames: ["stage"] as const,
    registers: [registry],
    async collect() {
      const rows = await dataSource
        .getRepository(SlaEscalation)
        .createQueryBuilder("e")
        .select("e.stage", "stage")
        .addSelect("COUNT(*)", "breaches")
        .where("e.level = 1")
        .groupBy("e.stage")
        .getRawMany<{ stage: string; breaches: string | number }>();
      this.reset();
      for (const row of rows) this.inc({ stage: row.stage }, Number(row.breaches));
    },
  });

  new Gauge({
    name: "qloop_action_items_overdue",
    help: "Action items past their planned end and neither done nor cancelled.",
    registers: [registry],
    async collect() {
      const today = todayUtc(clockOf(dataSource).now());
      const overdue = await dataSource.getRepository(ActionItem).count({
        where: { plannedEnd: LessThan(today), state: Not(In(FINISHED_ACTION_STATES)) },
      });
      this.set(overdue);
    },
  });

  new Gauge({
    name: "qloop_outbox_lag_seconds",
    help: "Age of the oldest undelivered (pending) outbox message; 0 when the outbox is empty.",
    registers: [registry],
    async collect() {
      const oldest = await dataSource.getRepository(OutboxMessage).findOne({
        select: { id: true, createdAt: true },
        where: { status: MessageStatus.PENDING, sentAt: IsNull() },
        order: { createdAt: "ASC", id: "ASC" },
      });
      const now = clockOf(dataSource).now().getTime();
      this.set(oldest ? Math.max(0, (now - new Date(oldest.createdAt).getTime()) / 1000) : 0);
    },
  });

  const apolloPlugin: ApolloServerPlugin = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(requestContext) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const body = requestContext.response.body;
          const failed =
            (requestContext.errors?.length ?? 0) > 0 ||
            (body.kind === "single" && (body.singleResult.errors?.length ?? 0) > 0);
          latency.observe(
            {
              operation: operationLabel(requestContext.operationName ?? requestContext.request.operationName),
              type: requestContext.operation?.operation ?? "unknown",
              outcome: failed ? "error" : "ok",
            },
            seconds,
          );
        },
      };
    },
  };

  const handler: RequestHandler = async (_req, res) => {
    try {
      const text = await registry.metrics();
      res.setHeader("content-type", registry.contentType);
      res.send(text);
    } catch {
      res.status(503).type("text/plain").send("metrics unavailable: the database did not answer\n");
    }
  };

  return { registry, apolloPlugin, handler, close: stopCounting };
}
