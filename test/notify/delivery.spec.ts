import http from "node:http";
import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import { gql } from "graphql-request";
import { SMTPServer } from "smtp-server";
import { ConfigError } from "../../src/config";
import { inTransaction } from "../../src/db/transaction";
import { OutboxMessage } from "../../src/entity";
import { deliverDueMessages } from "../../src/notify/delivery";
import { createTransports, parseDeliveryConfig, parseSweepInterval } from "../../src/notify/delivery-config";
import type { Transports } from "../../src/notify/delivery-transport";
import { verifyWebhookSignature } from "../../src/notify/delivery-webhook";
import { MessageKind, MessageStatus, RecipientType, Transport } from "../../src/notify/message-kind";
import { enqueueMessage } from "../../src/notify/outbox";
import { createWorld, errorCodeOf, startTestApp, TestApp, World } from "../support/test-app";

/**
 * Outbox delivery against a local SMTP server (smtp-server) and a local webhook receiver
 * (node:http). Time is the app's manual clock passed as `now`; nothing sleeps.
 */

const SECRET = "whsec_test_秘密";

interface Mail {
  from: string;
  to: string[];
  raw: string;
}
interface Hook {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

describe("outbox delivery", () => {
  let app: TestApp;
  let w: World;
  let smtp: SMTPServer;
  let receiver: http.Server;
  let mails: Mail[];
  let hooks: Hook[];
  /** Status the webhook receiver answers the n-th request (0-based) with. */
  let answer: (n: number) => number;
  let transports: Transports;
  let t0: Date;

  beforeAll(async () => {
    app = await startTestApp();
    w = await createWorld(app);
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith("nobody@")) {
          return callback(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const from = session.envelope.mailFrom;
          mails.push({
            from: from ? from.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const status = answer(hooks.length);
        hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), status });
        res.writeHead(status, { "Content-Type": "text/plain" });
        res.end(status < 300 ? "ok" : "receiver trouble");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    transports = createTransports(
      parseDeliveryConfig({
        QLOOP_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/qloop`,
        QLOOP_WEBHOOK_SECRET: SECRET,
        QLOOP_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
        QLOOP_MAIL_FROM: "qloop <quality@example.test>",
      }),
    );
  });
  afterAll(async () => {
    for (const transport of Object.values(transports)) await transport?.close?.();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await app.stop();
  });
  beforeEach(async () => {
    await app.dataSource.getRepository(OutboxMessage).clear();
    mails = [];
    hooks = [];
    answer = () => 200;
    t0 = app.clock.now();
  });

  let serial = 0;
  async function enqueue(transport: Transport, address: string, subject = "投诉升级 SLA escalation") {
    const dedupeKey = `delivery-test:${++serial}`;
    await inTransaction(app.dataSource, (tx) =>
      enqueueMessage(
        tx,
        {
          kind: transport === Transport.EMAIL ? MessageKind.SLA_ESCALATION : MessageKind.CHANGE_NOTICE,
          transport,
          recipientType: transport === Transport.EMAIL ? RecipientType.USER : RecipientType.CUSTOMER,
          recipientId: 7,
          address,
          subject,
          body: `ref-${serial}\n尊敬的客户：我们已完成改进 🎉`,
          payload: { issueId: 42 },
          dedupeKey,
        },
        t0,
      ),
    );
    return app.dataSource.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey });
  }
  const reload = (id: number) => app.dataSource.getRepository(OutboxMessage).findOneByOrFail({ id });
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it("e-mails a message over SMTP with a Message-ID derived from its id, and marks it SENT", async () => {
    const message = await enqueue(Transport.EMAIL, "lead@example.test");

    expect(await deliverDueMessages(app.dataSource, transports, { now: t0 })).toEqual({ sent: 1, retried: 0, dead: 0 });

    expect(mails).toHaveLength(1);
    expect(mails[0].from).toBe("quality@example.test");
    expect(mails[0].to).toEqual(["lead@example.test"]);
    expect(mails[0].raw).toContain(`Message-ID: <qloop-outbox-${message.id}@qloop>`);
    expect(mails[0].raw).toMatch(new RegExp(`^X-Qloop-Message-Id: ${message.id}\r$`, "im"));
    // nodemailer sends UTF-8 text base64-encoded; the body arrives intact, emoji included.
    const [head, ...body] = mails[0].raw.split("\r\n\r\n");
    expect(head).toMatch(/^Content-Transfer-Encoding: base64\r$/im);
    expect(Buffer.from(body.join("").replace(/\s+/g, ""), "base64").toString("utf8")).toBe(
      `ref-${serial}\n尊敬的客户：我们已完成改进 🎉`,
    );
    expect(await reload(message.id)).toMatchObject({ status: MessageStatus.SENT, attempts: 1, lastError: null, sentAt: t0 });
    // Delivered once: another round finds nothing.
    expect(await deliverDueMessages(app.dataSource, transports, { now: at(3_600_000) })).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(mails).toHaveLength(1);
  });

  it("POSTs webhooks signed with HMAC-SHA256 over timestamp and body, with the message id as idempotency key", async () => {
    const message = await enqueue(Transport.WEBHOOK, "+86 138 0000 0000");

    expect(await deliverDueMessages(app.dataSource, transports, { now: t0 })).toEqual({ sent: 1, retried: 0, dead: 0 });

    expect(hooks).toHaveLength(1);
    const { headers, body } = hooks[0];
    expect(headers["content-type"]).toMatch(/^application\/json/);
    expect(headers["idempotency-key"]).toBe(`qloop-outbox-${message.id}`);
    expect(headers["x-qloop-message-id"]).toBe(String(message.id));
    // The receiver's own check, independent of qloop's helper: HMAC-SHA256(secret, "<t>.<body>").
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers["x-qloop-signature"]));
    expect(match).not.toBeNull();
    const expected = createHmac("sha256", SECRET).update(`${match![1]}.${body}`).digest("hex");
    expect(match![2]).toBe(expected);
    expect(verifyWebhookSignature(SECRET, String(headers["x-qloop-signature"]), body)).toBe(true);
    expect(verifyWebhookSignature("another secret", String(headers["x-qloop-signature"]), body)).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(headers["x-qloop-signature"]), body.replace("42", "43"))).toBe(false);
    expect(
      verifyWebhookSignature(SECRET, String(headers["x-qloop-signature"]), body, { nowSeconds: Number(match![1]) + 3600 }),
    ).toBe(false);
    expect(JSON.parse(body)).toMatchObject({
      id: String(message.id),
      kind: "CHANGE_NOTICE",
      recipientType: "CUSTOMER",
      address: "+86 138 0000 0000",
      subject: "投诉升级 SLA escalation",
      payload: { issueId: 42 },
    });
    expect(JSON.parse(body).body).toContain("🎉");
    expect(await reload(message.id)).toMatchObject({ status: MessageStatus.SENT, attempts: 1 });
  });

  it("retries after an HTTP 500 with exponential backoff, then delivers the same message", async () => {
    answer = (n) => (n === 0 ? 500 : 200);
    const message = await enqueue(Transport.WEBHOOK, "+86 139 0000 0000");

    expect(await deliverDueMessages(app.dataSource, transports, { now: t0 })).toEqual({ sent: 0, retried: 1, dead: 0 });
    let row = await reload(message.id);
    expect(row).toMatchObject({ status: MessageStatus.PENDING, attempts: 1 });
    expect(row.lastError).toContain("HTTP 500");
    expect(row.nextAttemptAt.getTime()).toBe(at(60_000).getTime());

    // Not before the backoff has passed.
    expect(await deliverDueMessages(app.dataSource, transports, { now: at(59_999) })).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(hooks).toHaveLength(1);

    expect(await deliverDueMessages(app.dataSource, transports, { now: at(60_000) })).toEqual({ sent: 1, retried: 0, dead: 0 });
    row = await reload(message.id);
    expect(row).toMatchObject({ status: MessageStatus.SENT, attempts: 2, lastError: null });
    expect(hooks.map((hook) => hook.headers["idempotency-key"])).toEqual([
      `qloop-outbox-${message.id}`,
      `qloop-outbox-${message.id}`,
    ]);
    expect(hooks.map((hook) => hook.headers["x-qloop-delivery-attempt"])).toEqual(["1", "2"]);
  });

  it("gives up after the last attempt (DEAD, with the last error), and lets an admin retry it", async () => {
    answer = () => 503;
    const message = await enqueue(Transport.WEBHOOK, "+86 137 0000 0000");
    const policy = { maxAttempts: 3, retryBaseMs: 60_000 };

    expect(await deliverDueMessages(app.dataSource, transports, { ...policy, now: t0 })).toMatchObject({ retried: 1 });
    expect((await reload(message.id)).nextAttemptAt.getTime()).toBe(at(60_000).getTime());
    expect(await deliverDueMessages(app.dataSource, transports, { ...policy, now: at(60_000) })).toMatchObject({ retried: 1 });
    expect((await reload(message.id)).nextAttemptAt.getTime()).toBe(at(180_000).getTime()); // 60 s, then 120 s
    expect(await deliverDueMessages(app.dataSource, transports, { ...policy, now: at(180_000) })).toEqual({
      sent: 0,
      retried: 0,
      dead: 1,
    });
    const dead = await reload(message.id);
    expect(dead).toMatchObject({ status: MessageStatus.DEAD, attempts: 3, sentAt: null });
    expect(dead.lastError).toContain("HTTP 503");
    expect(await deliverDueMessages(app.dataSource, transports, { ...policy, now: at(86_400_000) })).toEqual({
      sent: 0,
      retried: 0,
      dead: 0,
    });
    expect(hooks).toHaveLength(3);

    // Operators see it, without the address; only an admin may retry it.
    const list = await w.quality.client.request<{ outboxMessages: { totalCount: number; nodes: any[] } }>(
      gql`query {
        outboxMessages(filter: { status: DEAD, kind: CHANGE_NOTICE }) {
          totalCount
          nodes { id kind transport recipientType status attempts lastError nextAttemptAt sentAt }
        }
      }`,
    );
    expect(list.outboxMessages.totalCount).toBe(1);
    expect(list.outboxMessages.nodes[0]).toMatchObject({ id: String(message.id), status: "DEAD", attempts: 3 });
    expect(list.outboxMessages.nodes[0].lastError).toContain("503");
    const type = await w.admin.client.request<{ __type: { fields: { name: string }[] } }>(
      gql`query { __type(name: "OutboxMessage") { fields { name } } }`,
    );
    const fields = type.__type.fields.map((field) => field.name);
    expect(fields).not.toContain("address");
    expect(fields).not.toContain("payload");
    expect(await errorCodeOf(w.agent.client.request(gql`query { outboxMessages { totalCount } }`))).toBe("FORBIDDEN");

    const RETRY = gql`mutation ($id: ID!) { retryOutboxMessage(id: $id) { id status attempts } }`;
    expect(await errorCodeOf(w.quality.client.request(RETRY, { id: String(message.id) }))).toBe("FORBIDDEN");
    const retried = await w.admin.client.request<{ retryOutboxMessage: any }>(RETRY, { id: String(message.id) });
    expect(retried.retryOutboxMessage).toEqual({ id: String(message.id), status: "PENDING", attempts: 0 });

    answer = () => 200;
    expect(await deliverDueMessages(app.dataSource, transports, { ...policy, now: app.clock.now() })).toMatchObject({ sent: 1 });
    expect(await reload(message.id)).toMatchObject({ status: MessageStatus.SENT, attempts: 1 });
    // Only DEAD messages can be retried.
    expect(await errorCodeOf(w.admin.client.request(RETRY, { id: String(message.id) }))).toBe("BAD_USER_INPUT");
    expect(await errorCodeOf(w.admin.client.request(RETRY, { id: "999999" }))).toBe("NOT_FOUND");
  });

  it("marks a message DEAD at once when the receiver refuses it for good (HTTP 4xx, SMTP 5xx)", async () => {
    answer = () => 400;
    const hook = await enqueue(Transport.WEBHOOK, "+86 136 0000 0000");
    const mail = await enqueue(Transport.EMAIL, "nobody@example.test");

    expect(await deliverDueMessages(app.dataSource, transports, { now: t0 })).toEqual({ sent: 0, retried: 0, dead: 2 });

    const deadHook = await reload(hook.id);
    expect(deadHook).toMatchObject({ status: MessageStatus.DEAD, attempts: 1 });
    expect(deadHook.lastError).toContain("HTTP 400");
    const deadMail = await reload(mail.id);
    expect(deadMail).toMatchObject({ status: MessageStatus.DEAD, attempts: 1 });
    expect(deadMail.lastError).toContain("550");
  });

  it("retries a message whose sender stopped mid-send once its lease has run out, so none is lost", async () => {
    const message = await enqueue(Transport.WEBHOOK, "+86 135 0000 0000");
    // A sender that hangs in the network call is, to every other process, one that died there.
    let sending!: () => void;
    let finish!: () => void;
    const started = new Promise<void>((resolve) => (sending = resolve));
    const stuck: Transports = {
      [Transport.WEBHOOK]: {
        send: () =>
          new Promise<void>((resolve) => {
            finish = resolve;
            sending();
          }),
      },
    };
    const first = deliverDueMessages(app.dataSource, stuck, { now: t0, leaseMs: 5 * 60_000 });
    await started;

    // Claimed, not lost: still PENDING, its attempt counted, hidden until the lease ends.
    const claimed = await reload(message.id);
    expect(claimed).toMatchObject({ status: MessageStatus.PENDING, attempts: 1 });
    expect(claimed.nextAttemptAt.getTime()).toBe(at(5 * 60_000).getTime());
    expect(await deliverDueMessages(app.dataSource, transports, { now: at(60_000) })).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(hooks).toHaveLength(0);

    expect(await deliverDueMessages(app.dataSource, transports, { now: at(5 * 60_000) })).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(hooks).toHaveLength(1);
    expect(await reload(message.id)).toMatchObject({ status: MessageStatus.SENT, attempts: 2 });

    // The stuck sender finally returns: the message stays SENT, once.
    finish();
    await first;
    expect(await reload(message.id)).toMatchObject({ status: MessageStatus.SENT, attempts: 2 });
  });

  it("leaves messages of a transport that is not configured waiting in the outbox", async () => {
    const message = await enqueue(Transport.WEBHOOK, "+86 134 0000 0000");
    const emailOnly: Transports = { [Transport.EMAIL]: transports[Transport.EMAIL] };
    expect(await deliverDueMessages(app.dataSource, emailOnly, { now: t0 })).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(await reload(message.id)).toMatchObject({ status: MessageStatus.PENDING, attempts: 0 });
    expect(hooks).toHaveLength(0);
  });

  it("refuses incomplete or malformed delivery settings, naming the variable", () => {
    const variableOf = (env: NodeJS.ProcessEnv) => {
      try {
        parseDeliveryConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).variable;
      }
      return null;
    };
    expect(variableOf({ QLOOP_WEBHOOK_URL: "https://gw.example.test/q" })).toBe("QLOOP_WEBHOOK_SECRET");
    expect(variableOf({ QLOOP_WEBHOOK_URL: "ftp://gw.example.test", QLOOP_WEBHOOK_SECRET: "s" })).toBe("QLOOP_WEBHOOK_URL");
    expect(variableOf({ QLOOP_WEBHOOK_URL: "not a url", QLOOP_WEBHOOK_SECRET: "s" })).toBe("QLOOP_WEBHOOK_URL");
    expect(variableOf({ QLOOP_WEBHOOK_SECRET: "s" })).toBe("QLOOP_WEBHOOK_URL");
    expect(variableOf({ QLOOP_SMTP_URL: "smtp://mail.example.test:587" })).toBe("QLOOP_MAIL_FROM");
    expect(variableOf({ QLOOP_SMTP_URL: "http://mail.example.test", QLOOP_MAIL_FROM: "a@b.c" })).toBe("QLOOP_SMTP_URL");
    expect(variableOf({})).toBeNull();
    expect(parseDeliveryConfig({})).toEqual({ webhook: null, email: null });

    expect(parseSweepInterval(undefined)).toBe(15_000);
    expect(parseSweepInterval("2500")).toBe(2500);
    for (const bad of ["0", "-5", "1.5", "soon", "99", "3600001"]) {
      expect(() => parseSweepInterval(bad)).toThrow(ConfigError);
      try {
        parseSweepInterval(bad);
      } catch (error) {
        expect((error as ConfigError).variable).toBe("QLOOP_SWEEP_INTERVAL_MS");
      }
    }
  });
});
