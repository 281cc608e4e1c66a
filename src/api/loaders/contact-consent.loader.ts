import DataLoader from "dataloader";
import { DataSource } from "typeorm";
import type { ContactConsent } from "../../entity";
import { latestConsents } from "../../service/contact-consent.service";

/** Each customer's consent decision in force, or null when none was recorded. */
export function latestConsentLoader(dataSource: DataSource) {
  return new DataLoader<number, ContactConsent | null>(async (customerIds) => {
    const latest = await latestConsents(dataSource.manager, customerIds);
    return customerIds.map((id) => latest.get(id) ?? null);
  });
}
