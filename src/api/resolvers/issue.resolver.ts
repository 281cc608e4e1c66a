import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { issueWorkflow } from "../../../workflows/issue.machine";
import { WorkflowEntity } from "../../common/enums";
import { badInput, parseId, parseOptionalId } from "../../common/errors";
import {
  ActionItem,
  Cause,
  Customer,
  Department,
  Feedback,
  Issue,
  TransitionLog,
  User,
  VerificationCheck,
} from "../../entity";
import { guardedText } from "../../service/issue.service";
import { nextEventsFor } from "../../service/workflow-runner";
import { RequestContext, requireActor } from "../context";
import { PageArgs } from "../pagination";
import {
  CreateIssueInput,
  IssueConnection,
  IssueFilter,
  IssueResult,
  MAX_INPUT_LIST,
  RegisterComplaintInput,
  TriageInput,
} from "../types/issue.types";
import { EXPECTED_VERSION_ARG } from "../types/expected-version";

/** Parses a list of ids, each named by its position (`feedbackIds.3`), at most 250 of them. */
function parseIds(values: string[], field: string): number[] {
  if (values.length > MAX_INPUT_LIST) throw badInput(field, `at most ${MAX_INPUT_LIST} ids`);
  return values.map((value, i) => parseId(value, `${field}.${i}`));
}


@Resolver(() => Issue)
export class IssueResolver {
  @Authorized()
  @Query(() => Issue, { nullable: true, description: "An issue by id; null when there is none." })
  issue(@Arg("id", () => ID, { description: "Id of the issue to read." }) id: string, @Ctx() ctx: RequestContext) {
    return ctx.loaders.issue.load(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => IssueConnection, { description: "Issues, newest first." })
  issues(
    @Args() page: PageArgs,
    @Arg("filter", () => IssueFilter, {
      nullable: true,
      description: "Narrows the list (all issues when omitted).",
    })
    filter: IssueFilter | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.list(
      requireActor(ctx),
      {
        ...filter,
        departmentId: parseOptionalId(filter?.departmentId, "filter.departmentId"),
        assigneeId: parseOptionalId(filter?.assigneeId, "filter.assigneeId"),
        customerId: parseOptionalId(filter?.customerId, "filter.customerId"),
      },
      page,
    );
  }

  @Authorized(["AGENT", "QUALITY_SPECIALIST"])
  @Mutation(() => Issue, {
    description:
      "Registers a complaint: its feedback (source COMPLAINT), a COMPLAINT issue in intake and the evidence link, in one go.",
  })
  registerComplaint(
    @Arg("input", {
      description: "The customer, the complaint (title, scores, comment) and its escalation tier.",
    })
    input: RegisterComplaintInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.registerComplaint(requireActor(ctx), {
      ...input,
      customerId: parseId(input.customerId, "input.customerId"),
      ticketId: parseOptionalId(input.ticketId, "input.ticketId"),
    });
  }

  @Authorized(["QUALITY_SPECIALIST"])
  @Mutation(() => Issue, { description: "Opens an issue directly, usually a systemic problem." })
  createIssue(
    @Arg("input", {
      description: "Kind, title, impact, urgency and evidence feedback of the new issue.",
    })
    input: CreateIssueInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.createIssue(requireActor(ctx), {
      ...input,
      departmentId: parseOptionalId(input.departmentId, "input.departmentId"),
      customerId: parseOptionalId(input.customerId, "input.customerId"),
      evidenceFeedbackIds: parseIds(input.evidenceFeedbackIds, "input.evidenceFeedbackIds"),
    });
  }

  @Authorized(["AGENT", "QUALITY_SPECIALIST"])
  @Mutation(() => Issue, {
    description:
      "Links feedback to an issue as evidence. Existing links are kept (a retry is harmless); nothing is unlinked. Refused on a cancelled issue.",
  })
  linkEvidence(
    @Arg("issueId", () => ID, { description: "Id of the issue the feedback supports." }) issueId: string,
    @Arg("feedbackIds", () => [ID], { description: "Ids of the feedback to link as evidence." }) feedbackIds: string[],
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.linkEvidence(
      requireActor(ctx),
      parseId(issueId, "issueId"),
      parseIds(feedbackIds, "feedbackIds"),
    );
  }

  @Authorized()
  @Mutation(() => IssueResult, { description: "TRIAGE: priority, impact, frequency, department." })
  triageIssue(
    @Arg("id", () => ID, { description: "Id of the issue to triage." }) id: string,
    @Arg("input", { description: "Priority, impact, frequency and responsible department." }) input: TriageInput,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.triage(
      requireActor(ctx),
      parseId(id, "id"),
      { ...input, departmentId: parseId(input.departmentId, "input.departmentId") },
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => IssueResult, { description: "ASSIGN (or reassign) the issue to a user." })
  assignIssue(
    @Arg("id", () => ID, { description: "Id of the issue to assign." }) id: string,
    @Arg("assigneeId", () => ID, { description: "Id of the user who will own the issue." }) assigneeId: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.assign(
      requireActor(ctx),
      parseId(id, "id"),
      parseId(assigneeId, "assigneeId"),
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => IssueResult, { description: "START_ANALYSIS: root-cause analysis begins." })
  startAnalysis(
    @Arg("id", () => ID, { description: "Id of the issue whose root-cause analysis starts." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.simpleEvent(requireActor(ctx), parseId(id, "id"), "START_ANALYSIS", {
      expectedVersion,
    });
  }

  @Authorized()
  @Mutation(() => IssueResult, {
    description: "PROPOSE_PLAN: needs a confirmed root cause and every draft action traced to one.",
  })
  proposePlan(
    @Arg("id", () => ID, { description: "Id of the issue whose plan is proposed for approval." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.simpleEvent(requireActor(ctx), parseId(id, "id"), "PROPOSE_PLAN", {
      expectedVersion,
    });
  }

  @Authorized()
  @Mutation(() => IssueResult, {
    description:
      "APPROVE_PLAN (operations manager): every budgeted draft action must be named; all draft actions are approved with it.",
  })
  approvePlan(
    @Arg("id", () => ID, { description: "Id of the issue whose plan is approved." }) id: string,
    @Arg("approvedBudgetActionItemIds", () => [ID], {
      defaultValue: [],
      description: "Budgeted action items approved explicitly.",
    })
    approvedBudgetActionItemIds: string[],
    @Arg("comment", () => String, {
      nullable: true,
      description: "Optional comment of the approver.",
    })
    comment: string | null,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.approvePlan(
      requireActor(ctx),
      parseId(id, "id"),
      parseIds(approvedBudgetActionItemIds, "approvedBudgetActionItemIds"),
      guardedText(comment, "comment") || null,
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => IssueResult, { description: "REJECT_PLAN (operations manager) with a comment." })
  rejectPlan(
    @Arg("id", () => ID, { description: "Id of the issue whose plan is rejected." }) id: string,
    @Arg("comment", { description: "Why the plan is rejected; must not be blank." }) comment: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.simpleEvent(requireActor(ctx), parseId(id, "id"), "REJECT_PLAN", {
      reason: guardedText(comment, "comment"),
      expectedVersion,
    });
  }

  @Authorized()
  @Mutation(() => IssueResult, { description: "START_VERIFICATION once every action item is closed." })
  startVerification(
    @Arg("id", () => ID, { description: "Id of the issue whose verification starts." }) id: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.simpleEvent(
      requireActor(ctx),
      parseId(id, "id"),
      "START_VERIFICATION",
      { expectedVersion },
    );
  }

  @Authorized()
  @Mutation(() => IssueResult, { description: "CLOSE after a passed verification; sets closedAt." })
  closeIssue(
    @Arg("id", () => ID, { description: "Id of the issue to close." }) id: string,
    @Arg("summary", () => String, {
      nullable: true,
      description: "Optional closing summary, logged with the transition.",
    })
    summary: string | null,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.close(
      requireActor(ctx),
      parseId(id, "id"),
      guardedText(summary, "summary") || null,
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => IssueResult, {
    description: "REOPEN a closed issue on recurrence: back to analyzing in a new cycle.",
  })
  reopenIssue(
    @Arg("id", () => ID, { description: "Id of the closed issue to reopen." }) id: string,
    @Arg("reason", { description: "Why it is reopened (the recurrence seen); must not be blank." }) reason: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.reopen(
      requireActor(ctx),
      parseId(id, "id"),
      guardedText(reason, "reason"),
      expectedVersion,
    );
  }

  @Authorized()
  @Mutation(() => IssueResult, { description: "CANCEL an open issue, with a reason." })
  cancelIssue(
    @Arg("id", () => ID, { description: "Id of the issue to cancel." }) id: string,
    @Arg("reason", { description: "Why it is cancelled; must not be blank." }) reason: string,
    @Arg("expectedVersion", () => Int, EXPECTED_VERSION_ARG) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.issues.simpleEvent(requireActor(ctx), parseId(id, "id"), "CANCEL", {
      reason: guardedText(reason, "reason"),
      expectedVersion,
    });
  }

  @FieldResolver(() => Department, { nullable: true, description: "Responsible department." })
  department(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return issue.departmentId ? ctx.loaders.department.load(issue.departmentId) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who drives the analysis and plan." })
  assignee(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return issue.assigneeId ? ctx.loaders.user.load(issue.assigneeId) : null;
  }

  @FieldResolver(() => Customer, { nullable: true, description: "The customer concerned, if one." })
  customer(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return issue.customerId ? ctx.loaders.customer.load(issue.customerId) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who opened the issue." })
  createdBy(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.user.load(issue.createdById);
  }

  @FieldResolver(() => [Feedback], { description: "Feedback linked as evidence." })
  evidence(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.evidenceByIssue.load(issue.id);
  }

  @FieldResolver(() => [Cause], { description: "Every fishbone cause of the issue, flat; see parent/children." })
  causes(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.causesByIssue.load(issue.id);
  }

  @FieldResolver(() => [ActionItem], { description: "Action items of every cycle." })
  actionItems(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.actionItemsByIssue.load(issue.id);
  }

  @FieldResolver(() => [VerificationCheck], { description: "Verification checks of every cycle." })
  verificationChecks(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.verificationChecksByIssue.load(issue.id);
  }

  @FieldResolver(() => [TransitionLog], { description: "Every transition, oldest first." })
  history(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.history.load({ entityType: WorkflowEntity.ISSUE, entityId: issue.id });
  }

  @FieldResolver(() => [String], {
    description: "Events the caller may send now, decided by the issue machine on current facts.",
  })
  async nextEvents(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    const { facts } = await ctx.loaders.issueFacts.load(issue.id);
    const context = { assigneeId: issue.assigneeId, departmentId: issue.departmentId };
    return nextEventsFor(issueWorkflow, issue.state, context, ctx.actor, facts);
  }
}
