import { DataSource } from "typeorm";
import { ActionItemService } from "./action-item.service";
import { AdjustmentRequestService } from "./adjustment-request.service";
import { AuthService } from "./auth.service";
import { CauseService } from "./cause.service";
import { DirectoryService } from "./directory.service";
import { FeedbackService } from "./feedback.service";
import { IssueService } from "./issue.service";
import { ReferenceService } from "./reference.service";
import { TransitionLogService } from "./transition-log.service";
import { VerificationCheckService } from "./verification-check.service";

/** One instance of each service per server; they hold no per-request state. */
export function createServices(dataSource: DataSource) {
  return {
    auth: new AuthService(dataSource),
    directory: new DirectoryService(dataSource),
    reference: new ReferenceService(dataSource),
    feedback: new FeedbackService(dataSource),
    issues: new IssueService(dataSource),
    causes: new CauseService(dataSource),
    actionItems: new ActionItemService(dataSource),
    adjustmentRequests: new AdjustmentRequestService(dataSource),
    verificationChecks: new VerificationCheckService(dataSource),
    transitionLog: new TransitionLogService(dataSource),
  };
}

export type Services = ReturnType<typeof createServices>;
