import { EntityManager } from "typeorm";
import { clockOf } from "../common/clock";
import { IssueKind } from "../common/enums";
import { ActionItem, Customer } from "../entity";
import { MessageKind, RecipientType, Transport } from "../notify/message-kind";
import { enqueueMessage } from "../notify/outbox";
import type { IssueTransitioned } from "./intake-hooks";
import { mayContact } from "./contact-consent.service";

/**
 * "What we changed" (DESIGN step 10): when a customer's complaint is closed, the customer is told
 * which measures were completed. Queued in the closing transaction: by e-mail when the customer
 * has an address, else by webhook to the SMS gateway with their phone number, else not at all.
 * One notice per improvement cycle (a reopened and re-closed complaint gets a new one). A customer
 * who refused contact gets none.
 */
export async function enqueueChangeNotice(tx: EntityManager, event: IssueTransitioned): Promise<void> {
  const { issue } = event;
  if (issue.kind !== IssueKind.COMPLAINT || issue.state !== "closed" || issue.customerId === null) return;
  const customer = await tx.getRepository(Customer).findOneBy({ id: issue.customerId });
  if (!customer || !(await mayContact(tx, customer.id))) return;
  const route = customer.email
    ? { transport: Transport.EMAIL, address: customer.email }
    : customer.phone
      ? { transport: Transport.WEBHOOK, address: customer.phone }
      : null;
  if (!route) return;
  const done = await tx
    .getRepository(ActionItem)
    .find({ where: { issueId: issue.id, state: "done" }, order: { actualEnd: "ASC", id: "ASC" } });
  const lines = done.map((item, i) => {
    const when = item.actualEnd ? `（${item.actualEnd} 完成）` : "";
    return `${i + 1}. ${item.description}${when}${item.completionNote ? `：${item.completionNote}` : ""}`;
  });
  const body = [
    `尊敬的 ${customer.name}：`,
    `感谢您就「${issue.title}」提出的意见。针对您反映的问题，我们已完成以下改进：`,
    ...(lines.length > 0 ? lines : ["我们已处理完毕您反映的问题。"]),
    "如仍有不满意之处，欢迎随时联系我们。",
  ].join("\n");
  await enqueueMessage(
    tx,
    {
      kind: MessageKind.CHANGE_NOTICE,
      transport: route.transport,
      recipientType: RecipientType.CUSTOMER,
      recipientId: customer.id,
      address: route.address,
      subject: `我们做了哪些改进 What we changed: ${issue.title}`,
      body,
      payload: { issueId: issue.id, cycle: issue.cycle, actionItemIds: done.map((item) => item.id) },
      dedupeKey: `change-notice:${issue.id}:c${issue.cycle}`,
    },
    clockOf(tx).now(),
  );
}
