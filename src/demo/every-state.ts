import { DataSource } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { clockOf, DAY_MS } from "../common/clock";
import { CauseCategory, Channel, ComplaintTier, Impact, IssueKind, MetricDirection } from "../common/enums";
import { TransitionError } from "../common/error-results";
import { ReviewMeetingKind } from "../entity/review-meeting/review-meeting-enums";
import { SurveyCampaignKind } from "../entity/survey/survey-enums";
import { createServices } from "../service";
import { DEMO_MONTH, DEMO_WEEK } from "./demo-data";

/**
 * The second part of `qloop seed --demo`, after the demo year (demo-data.ts): a few more issues
 * taken to the workflow states the year's story does not end in, so every state of the issue,
 * action-item, adjustment-request and verification-check machines has at least one object to
 * look at: a complaint still in intake, an assigned issue, a cancelled one, one being verified
 * (with a planned, a surveying and a cancelled check), and one in progress whose actions are
 * approved, blocked, awaiting and granted cancellation, with adjustments under review, approved,
 * rejected and withdrawn. Then survey campaigns (draft, active, closed) and review meetings
 * (scheduled, held, closed, cancelled).
 *
 * Kept apart from seedDemo because the monthly report of the demo year (and its committed
 * screenshot) is built from that story alone. Runs on the demo's people, at the demo's clock.
 */
export async function seedWorkflowTour(dataSource: DataSource): Promise<{ issues: number }> {
  const services = createServices(dataSource);
  const { issues, causes, actionItems, adjustmentRequests, verificationChecks } = services;
  const person = async (email: string): Promise<Actor> => {
    const user = await services.directory.findUserByEmail(email);
    if (!user) throw new Error(`the demo user ${email} is missing: run seedDemo first`);
    return { id: user.id, roles: user.roles, departmentId: user.departmentId };
  };
  const quality = await person("liumin@demo.qloop");
  const manager = await person("chengang@demo.qloop");
  const serviceLead = await person("wanglei@demo.qloop");
  const techLead = await person("zhaojing@demo.qloop");
  const agent = await person("zhouting@demo.qloop");
  const engineer = await person("wuqiang@demo.qloop");
  const today = (offsetDays: number) => new Date(clockOf(dataSource).now().getTime() + offsetDays * DAY_MS).toISOString().slice(0, 10);

  const open = async (title: string, description: string, lead: Actor) => {
    const issue = await issues.createIssue(quality, {
      kind: IssueKind.SYSTEMIC,
      title,
      description,
      frequency: null,
      impact: Impact.MEDIUM,
      departmentId: lead.departmentId,
      customerId: null,
      evidenceFeedbackIds: [],
    });
    ok(await issues.triage(quality, issue.id, { urgent: false, important: true, impact: Impact.MEDIUM, departmentId: lead.departmentId! }, null), "triage");
    ok(await issues.assign(quality, issue.id, lead.id, null), "assign");
    return issue.id;
  };
  /** Analysis with one confirmed cause, `count` actions owned by `owner`, plan approved. */
  const planned = async (issueId: number, lead: Actor, owner: Actor, cause: string, actions: string[]) => {
    ok(await issues.simpleEvent(lead, issueId, "START_ANALYSIS", { expectedVersion: null }), "analyse");
    const causeId = ok(await causes.add(lead, { issueId, category: CauseCategory.METHOD, text: cause, parentId: null }), "cause").id;
    ok(await causes.judge(quality, causeId, "CONFIRM", "演示：抽查记录", null), "confirm");
    const ids: number[] = [];
    for (const description of actions) {
      const item = await actionItems.add(lead, {
        issueId,
        causeId,
        description,
        metric: "达成率（%）",
        baseline: 50,
        target: 90,
        ownerId: owner.id,
        departmentId: owner.departmentId!,
        plannedStart: today(0),
        plannedEnd: today(30),
        budget: null,
      });
      ids.push(ok(item, `action ${description}`).id);
    }
    ok(await issues.simpleEvent(lead, issueId, "PROPOSE_PLAN", { expectedVersion: null }), "propose");
    ok(await issues.approvePlan(manager, issueId, [], "同意", null), "approve plan");
    return ids;
  };

  // Intake: a complaint nobody has triaged yet.
  const customer = await services.reference.createCustomer({ name: "演示投诉客户二", region: "华南" });
  await issues.registerComplaint(agent, {
    customerId: customer.id,
    ticketId: null,
    channel: Channel.APP,
    scores: [{ dimension: "resolution", score: 1 }],
    comment: "修了两次还是漏水",
    title: "客户投诉：维修后仍漏水",
    tier: ComplaintTier.TIER_2,
  });

  // Assigned: triaged and given to the technical lead, analysis not started.
  await open("安装后未讲解使用方法", "11 月初 4 位客户反映安装后无人讲解", techLead);

  // Cancelled: a duplicate.
  const duplicate = await open("夜间报修无人接听（重复登记）", "与已关闭问题重复", serviceLead);
  ok(await issues.simpleEvent(quality, duplicate, "CANCEL", { reason: "与夜间响应问题重复登记", expectedVersion: null }), "cancel issue");

  // Verifying: the action is done; one check planned, one surveying, one cancelled.
  const verifying = await open("上门未穿鞋套", "10 月 3 条评价提到未穿鞋套", serviceLead);
  const [covers] = await planned(verifying, serviceLead, serviceLead, "出门检查清单缺少鞋套一项", ["出门检查清单加入鞋套"]);
  ok(await actionItems.start(serviceLead, covers, null), "start");
  ok(await actionItems.postProgress(serviceLead, { actionItemId: covers, progress: 100, blockers: null, nextStep: null }, null), "progress");
  ok(await actionItems.complete(serviceLead, covers, "清单已更新", null), "complete");
  ok(await issues.simpleEvent(quality, verifying, "START_VERIFICATION", { expectedVersion: null }), "start verification");
  const check = async (metric: string) =>
    ok(
      await verificationChecks.plan(quality, {
        issueId: verifying,
        metric,
        direction: MetricDirection.LOWER_IS_BETTER,
        threshold: 1,
        baseline: 3,
        sourceNote: "评价关键词统计",
      }),
      "plan check",
    ).id;
  await check("“鞋套”相关评价（条/月）");
  ok(await verificationChecks.startSurvey(quality, await check("回访：工程师是否穿鞋套（否的比例 %）")), "start survey");
  ok(await verificationChecks.cancel(quality, await check("投诉数（件/月）"), "样本太少，改用回访"), "cancel check");

  // In progress: actions approved, blocked, awaiting cancellation, cancelled; adjustments in
  // every state (one action takes them in turn; the last stays under review).
  const busy = await open("配件缺货导致二次上门", "10 月 11% 的维修需二次上门取配件", serviceLead);
  const [waiting, stuck, dropping, dropped, adjusted] = await planned(busy, serviceLead, engineer, "常用配件未随车携带", [
    "整理常用配件随车清单",
    "与仓库建立当日补货机制",
    "试点配件前置仓",
    "配件型号二维码",
    "二次上门原因周报",
  ]);
  for (const id of [stuck, dropping, dropped, adjusted]) ok(await actionItems.start(engineer, id, null), "start");
  void waiting; // stays approved: planned but not started
  ok(await actionItems.block(engineer, stuck, "仓库系统接口未开放", null), "block");
  ok(await actionItems.requestCancellation(engineer, dropping, "前置仓选址未定，建议取消", null), "request cancel");
  ok(await actionItems.requestCancellation(engineer, dropped, "与供应商方案重复", null), "request cancel");
  ok(await actionItems.approveCancellation(manager, dropped, null), "approve cancel");
  const adjustment = async (reason: string) =>
    ok(
      await adjustmentRequests.submit(
        engineer,
        { actionItemId: adjusted, reason, proposedPlannedEnd: today(45), proposedOwnerId: null, proposedTarget: null, proposedScope: null, alternativePlan: null },
        null,
      ),
      "submit adjustment",
    ).id;
  const withdrawn = await adjustment("数据口径待确认（已撤回）");
  ok(await adjustmentRequests.withdraw(engineer, withdrawn, null), "withdraw");
  const rejected = await adjustment("希望延期两周");
  ok(await adjustmentRequests.review(quality, rejected, "理由不足", null), "review");
  ok(await adjustmentRequests.reject(manager, rejected, "周报不依赖外部数据，不予延期", null), "reject");
  const approved = await adjustment("等待财务系统导出权限");
  ok(await adjustmentRequests.review(quality, approved, null, null), "review");
  ok(await adjustmentRequests.approve(manager, approved, "同意延期", null), "approve");
  const underReview = await adjustment("新增二次上门原因分类，需再延期");
  ok(await adjustmentRequests.review(quality, underReview, "待运营经理决定", null), "review");

  // Survey campaigns: a draft, an active special survey of 华东, a closed one of 华北 (its
  // invitations not yet sent were cancelled with it).
  const campaign = (name: string, region: string) =>
    services.surveyCampaigns.create(quality, {
      name,
      kind: SurveyCampaignKind.SPECIAL,
      channel: Channel.SMS,
      targetRegion: region,
      // The customers whose tickets were opened in the demo month.
      incidentFrom: new Date(`${DEMO_MONTH}-01T00:00:00.000Z`),
      incidentTo: new Date(`${DEMO_MONTH}-31T23:59:59.000Z`),
    });
  await campaign("年度满意度调查（草稿）", "华南");
  ok(await services.surveyCampaigns.launch(quality, (await campaign("华东 10 月服务回访", "华东")).id), "launch campaign");
  const north = await campaign("华北 10 月服务回访", "华北");
  ok(await services.surveyCampaigns.launch(quality, north.id), "launch campaign");
  ok(await services.surveyCampaigns.close(quality, north.id, "改为电话回访"), "close campaign");

  // Review meetings: the monthly review held and closed with minutes, this week's held, next
  // week's scheduled, one cancelled.
  const meetings = services.reviewMeetings;
  const meeting = async (kind: ReviewMeetingKind, title: string, offsetDays: number, period: string | null) =>
    ok(
      await meetings.schedule(manager, {
        kind,
        title,
        scheduledAt: new Date(clockOf(dataSource).now().getTime() + offsetDays * DAY_MS),
        period,
        attendeeIds: [quality.id, serviceLead.id, techLead.id],
      }),
      `schedule ${title}`,
    ).id;
  const monthly = await meeting(ReviewMeetingKind.MONTHLY, "10 月月度评审", 0, DEMO_MONTH);
  ok(await meetings.hold(manager, monthly, null), "hold monthly");
  ok(await meetings.update(manager, monthly, { minutes: "夜间派单机制纳入案例库；热线等待问题进入第二轮分析。" }, null), "minutes");
  ok(await meetings.close(manager, monthly, null), "close monthly");
  const weekly = await meeting(ReviewMeetingKind.WEEKLY, "第 44 周例会", 0, DEMO_WEEK);
  ok(await meetings.hold(manager, weekly, null), "hold weekly");
  await meeting(ReviewMeetingKind.WEEKLY, "第 45 周例会", 7, null);
  ok(await meetings.cancel(manager, await meeting(ReviewMeetingKind.WEEKLY, "临时评审会", 3, null), "与周例会合并", null), "cancel meeting");

  return { issues: 5 };
}

function ok<T>(result: T, step: string): Exclude<T, TransitionError> {
  if (result instanceof TransitionError) {
    throw new Error(`demo step "${step}" was refused: ${result.errorCode} ${result.event} ${result.reason ?? ""}`);
  }
  return result as Exclude<T, TransitionError>;
}
