import { DataSource } from "typeorm";
import { Connection, PageArgs, paginate } from "../api/pagination";
import { clockOf } from "../common/clock";
import { badInput, notFound } from "../common/errors";
import { inTransaction } from "../db/transaction";
import { OutboxMessage } from "../entity/outbox/outbox-message.entity";
import { MessageKind, MessageStatus } from "../notify/message-kind";

export interface OutboxFilter {
  status?: MessageStatus | null;
  kind?: MessageKind | null;
}

/** The outbox as operators see it: what was queued, what went out, what died and why. */
export class OutboxService {
  constructor(private readonly dataSource: DataSource) {}

  /** Outbox messages, newest first, optionally of one status and/or kind. */
  list(filter: OutboxFilter, page: PageArgs): Promise<Connection<OutboxMessage>> {
    const query = this.dataSource.getRepository(OutboxMessage).createQueryBuilder("m");
    if (filter.status) query.andWhere("m.status = :status", { status: filter.status });
    if (filter.kind) query.andWhere("m.kind = :kind", { kind: filter.kind });
    return paginate(query, "m", page);
  }

  /**
   * Gives a DEAD message a fresh set of attempts, due now (e.g. after the gateway was fixed). Its
   * last error is kept until the next attempt replaces it.
   *
   * @throws NOT_FOUND for an unknown id; BAD_USER_INPUT (field `id`) when it is not DEAD.
   */
  retry(id: number): Promise<OutboxMessage> {
    return inTransaction(this.dataSource, async (tx) => {
      const message = await tx.getRepository(OutboxMessage).findOneBy({ id });
      if (!message) throw notFound("OutboxMessage", id);
      if (message.status !== MessageStatus.DEAD) {
        throw badInput("id", `message ${id} is ${message.status}; only DEAD messages can be retried`);
      }
      await tx
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ status: MessageStatus.PENDING, attempts: 0, nextAttemptAt: clockOf(tx).now() })
        .where("id = :id AND status = :dead", { id, dead: MessageStatus.DEAD })
        .execute();
      return tx.getRepository(OutboxMessage).findOneByOrFail({ id });
    });
  }
}
