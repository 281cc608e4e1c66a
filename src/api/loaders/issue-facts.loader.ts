import DataLoader from "dataloader";
import { DataSource } from "typeorm";
import { IssueFactsSnapshot, loadIssueFacts } from "../../service/issue-facts";

/** The facts the issue machine's guards need, for many issues at once (for nextEvents). */
export function issueFactsLoader(dataSource: DataSource) {
  return new DataLoader<number, IssueFactsSnapshot>(async (issueIds) => {
    const facts = await loadIssueFacts(dataSource.manager, issueIds);
    return issueIds.map((id) => facts.get(id)!);
  });
}
