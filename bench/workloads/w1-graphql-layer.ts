import { BenchContext, Workload, WorkloadResult } from "../workload";
import { fmt, load, LOAD_HEADER, LoadResult, loadRow, met, postOnce, ratio } from "../lib/http-load";
import type { Peer } from "../lib/graphql-layer";
import { startMercuriusJit, startQloopLayer, startStockApollo, W1_EXPECTED, W1_QUERY, w1Schema } from "../lib/graphql-layer";

/**
 * W1 (issue 6): the GraphQL layer alone — 20 issues × 3 causes from in-memory resolvers, no
 * database — closed loop over HTTP with autocannon, beside stock Apollo Server + type-graphql and
 * mercurius + graphql-jit on the same type-graphql schema. qloop's layer runs with graphql-jit
 * off and on (QLOOP_JIT). Every response must equal the expected JSON byte for byte.
 * Options: --connections (default 32), --seconds per peer (default 10), --rounds (default 2; peers
 * alternate and each one's best round counts). Targets: ≥ 1.5× stock Apollo; ≥ 0.65× mercurius + jit.
 */
export const w1: Workload = {
  id: "W1",
  title: "the GraphQL layer alone (20 issues × 3 causes from memory)",
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const connections = ctx.int("connections", 32);
    const seconds = ctx.int("seconds", 10);
    const rounds = ctx.int("rounds", 2);
    const schema = await w1Schema();
    const body = JSON.stringify({ query: W1_QUERY });
    const peers: { name: string; start: () => Promise<Peer> }[] = [
      { name: "**qloop's layer, graphql-jit on** (Express 5 + Apollo Server 5, jit through the gateway)", start: () => startQloopLayer(schema, true) },
      { name: "qloop's layer, graphql-jit off (the default)", start: () => startQloopLayer(schema, false) },
      {
        name: "qloop's layer before these levers: jit off, Apollo's cache-control plugin on",
        start: () => startQloopLayer(schema, false, true),
      },
      { name: "stock Apollo Server 5 standalone + type-graphql", start: () => startStockApollo(schema) },
      { name: "mercurius + graphql-jit (Fastify)", start: () => startMercuriusJit(schema) },
    ];
    const best = new Map<string, LoadResult>();
    for (let round = 1; round <= rounds; round++) {
      for (const peer of peers) {
        const server = await peer.start();
        try {
          const first = await postOnce(server.url, body);
          if (JSON.stringify(JSON.parse(first)) !== W1_EXPECTED) throw new Error(`W1: ${peer.name} answered ${first.slice(0, 300)}`);
          ctx.log(`W1 round ${round}: ${peer.name}`);
          const result = await load({ url: server.url, body, expected: first, connections, seconds });
          const kept = best.get(peer.name);
          if (!kept || result.rps > kept.rps) best.set(peer.name, result);
        } finally {
          await server.stop();
        }
      }
    }
    const [jitOn, jitOff, before, stock, mercuriusJit] = peers.map((p) => best.get(p.name)!);
    const bad = [...best.values()].reduce((sum, r) => sum + r.bad, 0);
    const qloop = jitOn.rps >= jitOff.rps ? jitOn : jitOff;
    const vsStock = qloop.rps / stock.rps;
    const vsMercurius = qloop.rps / mercuriusJit.rps;
    const lines = [
      `Closed loop: ${connections} connections, ${seconds} s per peer after 2 s of warm-up, ${rounds} alternating round(s), the best round of each peer counted; ` +
        `the response is ${fmt(W1_EXPECTED.length)} bytes of JSON and the first of each peer is checked against the data, and every later one compared with it byte for byte.`,
      "",
      ...LOAD_HEADER,
      loadRow(peers[0].name, jitOn, `${ratio(jitOn.rps, stock.rps)} stock Apollo`),
      loadRow(peers[1].name, jitOff, `${ratio(jitOff.rps, stock.rps)} stock Apollo`),
      loadRow(peers[2].name, before, `${ratio(before.rps, stock.rps)} stock Apollo`),
      loadRow(peers[3].name, stock, "1.00×"),
      loadRow(peers[4].name, mercuriusJit, `${ratio(mercuriusJit.rps, stock.rps)} stock Apollo`),
      "",
      "| target | figure | met |",
      "| --- | ---: | --- |",
      `| ≥ 1.5× stock Apollo (qloop's faster setting) | ${vsStock.toFixed(2)}× | ${met(vsStock >= 1.5)} |`,
      `| ≥ 0.65× mercurius + jit | ${vsMercurius.toFixed(2)}× | ${met(vsMercurius >= 0.65)} |`,
      `| every response correct | ${bad} bad | ${met(bad === 0)} |`,
      "",
      `Levers on qloop's layer: graphql-jit is worth ${ratio(jitOn.rps, jitOff.rps)}; disabling Apollo's unused ` +
        `cache-control plugin ${ratio(jitOff.rps, before.rps)}; both together ${ratio(jitOn.rps, before.rps)}.`,
    ];
    return { markdown: lines.join("\n"), met: vsStock >= 1.5 && vsMercurius >= 0.65 && bad === 0 };
  },
};
