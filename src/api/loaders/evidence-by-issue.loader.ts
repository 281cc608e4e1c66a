import DataLoader from "dataloader";
import { DataSource, In } from "typeorm";
import { Feedback, IssueEvidence } from "../../entity";
import { restrictToVisible } from "../../auth/policy";
import { groupBy, LoaderScope } from "./entity-loaders";

/**
 * Feedback linked to each issue as evidence: the links, then the feedback rows — two statements
 * per batch whatever the number of issues.
 */
export function evidenceByIssueLoader(dataSource: DataSource, scope?: LoaderScope) {
  return new DataLoader<number, Feedback[]>(async (issueIds) => {
    const links = await dataSource
      .getRepository(IssueEvidence)
      .find({ where: { issueId: In([...issueIds]) }, order: { feedbackId: "ASC" } });
    const feedbackIds = [...new Set(links.map((link) => link.feedbackId))];
    const query = dataSource.getRepository(Feedback).createQueryBuilder("x").where("x.id IN (:...feedbackIds)", { feedbackIds });
    if (scope) restrictToVisible(query, "x", scope.actor, scope.resource);
    const feedback = feedbackIds.length ? await query.getMany() : [];
    const byId = new Map(feedback.map((row) => [row.id, row]));
    return groupBy(issueIds, links, (link) => link.issueId).map((group) =>
      group.map((link) => byId.get(link.feedbackId)).filter((row): row is Feedback => row !== undefined),
    );
  });
}
