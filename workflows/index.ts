import { actionItemWorkflow } from "./action-item.machine";
import { adjustmentRequestWorkflow } from "./adjustment-request.machine";
import { causeWorkflow } from "./cause.machine";
import { issueWorkflow } from "./issue.machine";
import type { Workflow } from "./runtime";
import { reviewMeetingWorkflow } from "./review-meeting.machine";
import { surveyCampaignWorkflow } from "./survey-campaign.machine";
import { surveyInvitationWorkflow } from "./survey-invitation.machine";
import { verificationCheckWorkflow } from "./verification-check.machine";

export * from "./actor";
export * from "./runtime";
export * from "./action-item.machine";
export * from "./adjustment-request.machine";
export * from "./cause.machine";
export * from "./issue.machine";
export * from "./survey-campaign.machine";
export * from "./survey-invitation.machine";
export * from "./verification-check.machine";
export * from "./review-meeting.machine";

/** The names under which the machine-definition query exposes the workflows. */
export type WorkflowName =
  | "issue"
  | "actionItem"
  | "adjustmentRequest"
  | "verificationCheck"
  | "cause"
  | "surveyCampaign"
  | "surveyInvitation"
  | "reviewMeeting";

/** Every workflow by name, for the machine-definition query and generated diagrams. */
export const WORKFLOWS: Readonly<Record<WorkflowName, Workflow<any, any, any>>> = {
  issue: issueWorkflow,
  actionItem: actionItemWorkflow,
  adjustmentRequest: adjustmentRequestWorkflow,
  verificationCheck: verificationCheckWorkflow,
  cause: causeWorkflow,
  surveyCampaign: surveyCampaignWorkflow,
  surveyInvitation: surveyInvitationWorkflow,
  reviewMeeting: reviewMeetingWorkflow,
};
