import { DataSource, EntitySubscriberInterface, EntityTarget } from "typeorm";
import type { Actor, Role } from "../../workflows/actor";
import { clockOf, ManualClock, useClock } from "../common/clock";
import {
  CauseCategory,
  Channel,
  ComplaintTier,
  Impact,
  IssueKind,
  MetricDirection,
  TicketType,
  VerificationStatus,
} from "../common/enums";
import { TransitionError } from "../common/error-results";
import { ActionItem, AdjustmentRequest, Cause, Issue, ProgressUpdate, TransitionLog, VerificationCheck } from "../entity";
import { createServices, Services } from "../service";

/**
 * A deterministic demo data set (Chinese text) that fills an empty, migrated database through the
 * services, as a quality team would over a year: twelve months of feedback on service tickets
 * (November 2025 – October 2026) with a visible improvement in responsiveness after the summer,
 * and issues in every stage of the loop — closed after a passed verification, in progress with
 * an at-risk and a blocked action and a pending adjustment, awaiting plan approval, in analysis,
 * returned to analysis after a failed verification, and freshly registered complaints.
 *
 * Time is driven by a ManualClock installed on the DataSource, so every timestamp (and the
 * report generated afterwards) is the same on every run. Customer names are placeholders; the
 * reports never show them.
 */

/** The month the demo report covers and the instant it is generated at. */
export const DEMO_MONTH = "2026-10";
export const DEMO_REPORT_TIME = new Date("2026-11-02T01:00:00.000Z");
export const DEMO_WEEK = "2026-W44";

/** Small, fast, seedable PRNG (mulberry32): the same sequence on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"];
const REGIONS = ["华东", "华北", "华南", "西南"];
const ENGINEERS = ["张工", "李工", "王工", "赵工", "陈工", "周工"];
const TICKET_TYPES = [TicketType.REPAIR, TicketType.REPAIR, TicketType.REPAIR, TicketType.INSTALLATION, TicketType.CONSULTATION];

/**
 * Mean score per dimension in month `m` (0 = 2025-11): responsiveness is weak until the night
 * dispatch fix lands in August 2026, attitude dips in spring (a staffing crunch), the rest drift.
 */
function meanScore(dimension: string, m: number): number {
  switch (dimension) {
    case "responsiveness":
      return m < 9 ? 3.1 + 0.03 * m : 3.6 + 0.25 * (m - 9);
    case "resolution":
      return 3.7 + 0.02 * m;
    case "attitude":
      return m >= 3 && m <= 5 ? 3.8 : 4.2;
    case "compliance":
      return 3.9 + 0.01 * m;
    default:
      return 3.7 + 0.03 * m;
  }
}

const DIMENSIONS = ["responsiveness", "resolution", "attitude", "compliance", "overall"];

interface People {
  quality: Actor;
  manager: Actor;
  serviceLead: Actor;
  techLead: Actor;
  callLead: Actor;
  agent: Actor;
  serviceEngineer: Actor;
  departments: { service: number; tech: number; call: number };
}

/** Fills the database; returns what it made, for the report script and the browser test. */
export async function seedDemo(dataSource: DataSource): Promise<{ feedback: number; issues: number }> {
  const clock = new ManualClock(new Date("2025-11-01T00:00:00.000Z"));
  useClock(dataSource, clock);
  const services = createServices(dataSource);
  await services.keywords.ensureTaxonomy();
  const people = await createPeople(services);
  const feedback = await seedFeedback(services, people, clock);
  const issues = await seedIssues(dataSource, services, people, clock);
  clock.set(DEMO_REPORT_TIME);
  return { feedback, issues };
}

async function createPeople(services: Services): Promise<People> {
  const service = await services.directory.createDepartment("售后服务部");
  const tech = await services.directory.createDepartment("技术部");
  const call = await services.directory.createDepartment("客服中心");
  const person = async (name: string, email: string, roles: Role[], departmentId: number | null): Promise<Actor> => {
    const user = await services.directory.createUser({ name, email, roles, departmentId });
    return { id: user.id, roles: user.roles, departmentId: user.departmentId };
  };
  return {
    quality: await person("刘敏", "liumin@demo.qloop", ["QUALITY_SPECIALIST"], null),
    manager: await person("陈刚", "chengang@demo.qloop", ["OPERATIONS_MANAGER"], null),
    serviceLead: await person("王磊", "wanglei@demo.qloop", ["DEPARTMENT_LEAD"], service.id),
    techLead: await person("赵静", "zhaojing@demo.qloop", ["DEPARTMENT_LEAD"], tech.id),
    callLead: await person("孙丽", "sunli@demo.qloop", ["DEPARTMENT_LEAD"], call.id),
    agent: await person("周婷", "zhouting@demo.qloop", ["AGENT"], call.id),
    serviceEngineer: await person("吴强", "wuqiang@demo.qloop", ["AGENT"], service.id),
    departments: { service: service.id, tech: tech.id, call: call.id },
  };
}

/** Forty answered surveys a month, each on its own service ticket; two are later found invalid. */
async function seedFeedback(services: Services, people: People, clock: ManualClock): Promise<number> {
  const next = random(20261031);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const customers: number[] = [];
  for (let i = 1; i <= 60; i++) {
    const customer = await services.reference.createCustomer({ name: `演示客户${String(i).padStart(2, "0")}`, region: REGIONS[i % REGIONS.length] });
    customers.push(customer.id);
  }
  const departments = [people.departments.service, people.departments.service, people.departments.tech, people.departments.call];
  let count = 0;
  const invalid: number[] = [];
  for (const [m, month] of MONTHS.entries()) {
    for (let i = 0; i < 40; i++) {
      const dayOfMonth = 1 + Math.floor((i * 27) / 40);
      const openedAt = new Date(`${month}-${String(dayOfMonth).padStart(2, "0")}T0${1 + (i % 8)}:00:00.000Z`);
      const receivedAt = new Date(openedAt.getTime() + 36 * 3_600_000);
      clock.set(receivedAt);
      const customerId = pick(customers);
      const ticket = await services.reference.createServiceTicket({
        code: `DEMO-${month}-${String(i + 1).padStart(3, "0")}`,
        customerId,
        type: pick(TICKET_TYPES),
        region: pick(REGIONS),
        engineer: pick(ENGINEERS),
        departmentId: pick(departments),
        openedAt,
      });
      const scores = DIMENSIONS.map((dimension) => {
        const roll = next();
        const offset = roll < 0.05 ? -2 : roll < 0.25 ? -1 : roll < 0.75 ? 0 : roll < 0.96 ? 1 : 2;
        return { dimension, score: Math.min(5, Math.max(1, Math.round(meanScore(dimension, m)) + offset)) };
      });
      const score = (dimension: string) => scores.find((entry) => entry.dimension === dimension)!.score;
      const remarks: string[] = [];
      if (score("responsiveness") <= 2) remarks.push(pick(["报修后等了很久，响应慢", "电话一直没人回复", "等了半天才有人联系"]));
      if (score("attitude") <= 2) remarks.push(pick(["工程师态度差，很不耐烦", "客服敷衍了事"]));
      if (score("resolution") <= 2) remarks.push("问题未解决，过两天又坏了");
      const extra = next();
      if (extra < 0.06) remarks.push("上门迟到了，也没提前告知");
      else if (extra < 0.1) remarks.push("收费时配件价格不透明");
      else if (extra < 0.15) remarks.push("流程复杂，要反复说明问题");
      else if (remarks.length === 0 && extra > 0.8) remarks.push("工程师很专业，谢谢");
      const recorded = await services.feedback.recordFeedback(people.agent, {
        customerId,
        ticketId: ticket.id,
        templateId: null,
        channel: pick([Channel.SMS, Channel.APP, Channel.PHONE, Channel.WEB]),
        scores,
        comment: remarks.length ? remarks.join("；") : null,
        receivedAt,
      });
      if (month === DEMO_MONTH && (i === 5 || i === 17)) invalid.push(recorded.id);
      count++;
    }
  }
  clock.set(new Date("2026-10-30T08:00:00.000Z"));
  for (const id of invalid) {
    await services.feedback.setVerification(people.quality, id, VerificationStatus.INVALID, "回访核实：客户误评（演示）");
  }
  return count;
}

/** Fails loudly when a workflow step is refused: the demo must tell the same story every time. */
function ok<T>(result: T, step: string): Exclude<T, TransitionError> {
  if (result instanceof TransitionError) {
    throw new Error(`demo step "${step}" was refused: ${result.errorCode} ${result.event} ${result.reason ?? ""}`);
  }
  return result as Exclude<T, TransitionError>;
}

async function seedIssues(dataSource: DataSource, services: Services, p: People, clock: ManualClock): Promise<number> {
  const backdate = createdAtStamper(dataSource);
  /** Moves the story's clock, first dating the rows the previous steps wrote (see createdAtStamper). */
  const at = async (iso: string) => {
    await backdate(clock.now());
    clock.set(new Date(iso));
  };
  const { issues, causes, actionItems, verificationChecks, adjustmentRequests } = services;
  const d = p.departments;

  /** Opens a systemic issue, triages, assigns and starts analysis. */
  const open = async (
    when: string,
    title: string,
    description: string,
    category: string,
    triage: { urgent: boolean; important: boolean; impact: Impact; departmentId: number; frequency: number },
    lead: Actor,
  ) => {
    await at(when);
    const issue = await issues.createIssue(p.quality, {
      kind: IssueKind.SYSTEMIC,
      title,
      description,
      frequency: triage.frequency,
      impact: triage.impact,
      departmentId: triage.departmentId,
      customerId: null,
      evidenceFeedbackIds: [],
    });
    // Intake rules set the category when they open an issue; the demo opens its issues by hand
    // and names the category directly, the one field the issue API does not take.
    await dataSource.getRepository(Issue).update(issue.id, { category });
    ok(await issues.triage(p.quality, issue.id, triage, null), `triage ${title}`);
    ok(await issues.assign(p.quality, issue.id, lead.id, null), `assign ${title}`);
    ok(await issues.simpleEvent(lead, issue.id, "START_ANALYSIS", { expectedVersion: null }), `analyse ${title}`);
    return issue.id;
  };
  const cause = async (by: Actor, issueId: number, category: CauseCategory, text: string, parentId: number | null = null) =>
    ok(await causes.add(by, { issueId, category, text, parentId }), `cause ${text}`).id;
  const confirm = async (id: number, evidence: string) => ok(await causes.judge(p.quality, id, "CONFIRM", evidence, null), "confirm");
  const refute = async (id: number, evidence: string) => ok(await causes.judge(p.quality, id, "REFUTE", evidence, null), "refute");
  const action = async (
    by: Actor,
    input: { issueId: number; causeId: number; description: string; metric: string; baseline: number | null; target: number; owner: Actor; plannedStart: string; plannedEnd: string },
  ) =>
    ok(
      await actionItems.add(by, {
        issueId: input.issueId,
        causeId: input.causeId,
        description: input.description,
        metric: input.metric,
        baseline: input.baseline,
        target: input.target,
        ownerId: input.owner.id,
        departmentId: input.owner.departmentId,
        plannedStart: input.plannedStart,
        plannedEnd: input.plannedEnd,
        budget: null,
      }),
      `action ${input.description}`,
    ).id;
  const propose = async (lead: Actor, issueId: number) =>
    ok(await issues.simpleEvent(lead, issueId, "PROPOSE_PLAN", { expectedVersion: null }), "propose plan");
  const approve = async (issueId: number) => ok(await issues.approvePlan(p.manager, issueId, [], "同意实施", null), "approve plan");
  const progress = async (owner: Actor, id: number, value: number, blockers: string | null, nextStep: string | null) =>
    ok(await actionItems.postProgress(owner, { actionItemId: id, progress: value, blockers, nextStep }, null), "progress");
  const finish = async (owner: Actor, id: number, note: string) => {
    await progress(owner, id, 100, null, "验收");
    ok(await actionItems.complete(owner, id, note, null), "complete");
  };
  const verify = async (
    issueId: number,
    check: { metric: string; direction: MetricDirection; threshold: number; baseline: number; result: number; sampleSize: number; note: string },
    plannedAt: string,
    completedAt: string,
  ) => {
    await at(plannedAt);
    ok(await issues.simpleEvent(p.quality, issueId, "START_VERIFICATION", { expectedVersion: null }), "start verification");
    const planned = ok(
      await verificationChecks.plan(p.quality, {
        issueId,
        metric: check.metric,
        direction: check.direction,
        threshold: check.threshold,
        baseline: check.baseline,
        sourceNote: check.note,
      }),
      "plan check",
    );
    ok(await verificationChecks.startSurvey(p.quality, planned.id), "start survey");
    await at(completedAt);
    return ok(await verificationChecks.complete(p.quality, planned.id, { result: check.result, sampleSize: check.sampleSize, sourceNote: check.note }), "complete check");
  };

  // 1. Closed in October after a passed verification: the case-library proposal.
  const night = await open(
    "2026-06-03T02:00:00Z",
    "核心客户夜间报修响应超过 4 小时",
    "6 月共 12 次核心客户夜间报修首次响应超过 4 小时",
    "slow_response",
    { urgent: true, important: true, impact: Impact.HIGH, departmentId: d.service, frequency: 12 },
    p.serviceLead,
  );
  const dispatch = await cause(p.serviceLead, night, CauseCategory.METHOD, "夜间派单需等次日早会");
  const rule = await cause(p.serviceLead, night, CauseCategory.METHOD, "派单规则未覆盖夜间时段", dispatch);
  await cause(p.serviceLead, night, CauseCategory.METHOD, "规则五年未修订", rule);
  const staff = await cause(p.serviceLead, night, CauseCategory.MAN, "夜班工程师不足");
  await cause(p.serviceLead, night, CauseCategory.MAN, "排班未按报修高峰调整", staff);
  const system = await cause(p.serviceLead, night, CauseCategory.MACHINE, "派单系统无优先级标记");
  await cause(p.serviceLead, night, CauseCategory.MEASUREMENT, "响应时长从派单时刻起算，口径偏短");
  await at("2026-06-10T02:00:00Z");
  await confirm(dispatch, "抽查 6 月工单：夜间报修平均等待 9.5 小时");
  await confirm(rule, "派单规则文件无夜间条款");
  await confirm(staff, "夜班仅 1 名工程师");
  await refute(system, "系统已支持优先级，只是未启用");
  const nightDispatch = await action(p.serviceLead, {
    issueId: night, causeId: dispatch, description: "建立夜间值班派单机制", metric: "夜间报修首次响应时长（小时）",
    baseline: 9.5, target: 2, owner: p.serviceLead, plannedStart: "2026-06-15", plannedEnd: "2026-07-31",
  });
  const nightShift = await action(p.serviceLead, {
    issueId: night, causeId: staff, description: "夜班增加 1 名工程师并按高峰排班", metric: "夜班工程师人数",
    baseline: 1, target: 2, owner: p.serviceLead, plannedStart: "2026-06-15", plannedEnd: "2026-08-15",
  });
  await propose(p.serviceLead, night);
  await at("2026-06-12T02:00:00Z");
  await approve(night);
  await at("2026-06-15T02:00:00Z");
  ok(await actionItems.start(p.serviceLead, nightDispatch, null), "start");
  ok(await actionItems.start(p.serviceLead, nightShift, null), "start");
  await at("2026-07-01T02:00:00Z");
  await progress(p.serviceLead, nightDispatch, 60, null, "试运行两周");
  await progress(p.serviceLead, nightShift, 40, "招聘进度慢", "内部调岗");
  await at("2026-07-30T02:00:00Z");
  await finish(p.serviceLead, nightDispatch, "夜间值班派单已上线");
  await at("2026-08-14T02:00:00Z");
  await finish(p.serviceLead, nightShift, "夜班两人已到岗");
  await verify(
    night,
    { metric: "响应及时性 平均分", direction: MetricDirection.HIGHER_IS_BETTER, threshold: 0.5, baseline: 3.2, result: 4.1, sampleSize: 36, note: "回访 36 位受影响客户（抽样 15%）" },
    "2026-09-01T02:00:00Z",
    "2026-10-12T02:00:00Z",
  );
  await at("2026-10-15T02:00:00Z");
  ok(await issues.close(p.quality, night, "夜间值班派单 + 夜班增员，响应及时性 3.2 → 4.1", null), "close");

  // 2. In progress: one action on track, one behind plan with a blocker, one waiting for an adjustment.
  const late = await open(
    "2026-09-02T02:00:00Z",
    "上门安装迟到且未提前告知客户",
    "9 月安装工单中 18% 迟到超过 30 分钟",
    "late_arrival",
    { urgent: false, important: true, impact: Impact.MEDIUM, departmentId: d.tech, frequency: 18 },
    p.techLead,
  );
  const route = await cause(p.techLead, late, CauseCategory.METHOD, "预约时段过密，未留路程时间");
  await cause(p.techLead, late, CauseCategory.ENVIRONMENT, "早晚高峰交通拥堵");
  const notice = await cause(p.techLead, late, CauseCategory.MAN, "工程师未养成提前告知习惯");
  await cause(p.techLead, late, CauseCategory.MAN, "无迟到告知的考核", notice);
  await cause(p.techLead, late, CauseCategory.MATERIAL, "安装配件出库慢");
  await at("2026-09-08T02:00:00Z");
  await confirm(route, "排程记录：相邻预约平均间隔 20 分钟");
  await confirm(notice, "回访 20 位迟到客户，17 位未收到告知");
  const schedule = await action(p.techLead, {
    issueId: late, causeId: route, description: "预约排程增加路程缓冲 40 分钟", metric: "迟到率（%）",
    baseline: 18, target: 5, owner: p.techLead, plannedStart: "2026-09-15", plannedEnd: "2026-10-31",
  });
  const sms = await action(p.techLead, {
    issueId: late, causeId: notice, description: "上线迟到自动短信告知", metric: "迟到告知率（%）",
    baseline: 15, target: 95, owner: p.techLead, plannedStart: "2026-09-20", plannedEnd: "2026-11-20",
  });
  const training = await action(p.techLead, {
    issueId: late, causeId: notice, description: "工程师服务规范培训", metric: "培训覆盖率（%）",
    baseline: 0, target: 100, owner: p.techLead, plannedStart: "2026-10-01", plannedEnd: "2026-10-25",
  });
  await propose(p.techLead, late);
  await at("2026-09-10T02:00:00Z");
  await approve(late);
  await at("2026-09-15T02:00:00Z");
  for (const id of [schedule, sms, training]) ok(await actionItems.start(p.techLead, id, null), "start");
  await at("2026-10-20T02:00:00Z");
  await progress(p.techLead, schedule, 70, null, "11 月起全区推广");
  await progress(p.techLead, sms, 20, "短信平台接口未开通", "协调 IT 开通接口");
  await progress(p.techLead, training, 60, null, "补训第二批");
  await at("2026-10-24T02:00:00Z");
  ok(
    await adjustmentRequests.submit(
      p.techLead,
      { actionItemId: training, reason: "第二批工程师外派支援，培训需延后", proposedPlannedEnd: "2026-11-15", proposedOwnerId: null, proposedTarget: null, proposedScope: null, alternativePlan: "先线上培训，返岗后补实操" },
      null,
    ),
    "adjustment",
  );

  // 3. Returned to analysis: the verification failed in October (a second cycle begins).
  const waiting = await open(
    "2026-07-06T02:00:00Z",
    "客服热线高峰期等待时间长",
    "7 月热线高峰期平均等待 6 分钟，投诉中“等待时间长”占 15%",
    "unreachable",
    { urgent: true, important: false, impact: Impact.MEDIUM, departmentId: d.call, frequency: 30 },
    p.callLead,
  );
  const peak = await cause(p.callLead, waiting, CauseCategory.MAN, "高峰时段坐席不足");
  await cause(p.callLead, waiting, CauseCategory.MACHINE, "IVR 菜单层级过深");
  await at("2026-07-10T02:00:00Z");
  await confirm(peak, "话务报表：10–11 点接通率 62%");
  const seats = await action(p.callLead, {
    issueId: waiting, causeId: peak, description: "高峰时段弹性排班", metric: "高峰接通率（%）",
    baseline: 62, target: 85, owner: p.callLead, plannedStart: "2026-07-15", plannedEnd: "2026-08-31",
  });
  await propose(p.callLead, waiting);
  await approve(waiting);
  await at("2026-07-15T02:00:00Z");
  ok(await actionItems.start(p.callLead, seats, null), "start");
  await at("2026-08-30T02:00:00Z");
  await finish(p.callLead, seats, "弹性排班已执行");
  await verify(
    waiting,
    { metric: "投诉中“等待时间长”占比（%）", direction: MetricDirection.LOWER_IS_BETTER, threshold: 5, baseline: 15, result: 13, sampleSize: 120, note: "10 月投诉分类统计" },
    "2026-09-20T02:00:00Z",
    "2026-10-18T02:00:00Z",
  );

  // 4. Waiting for the operations manager's approval of the plan.
  const process = await open(
    "2026-10-08T02:00:00Z",
    "回访流程复杂，客户需重复说明问题",
    "10 月回访中 9 位客户反映需重复说明问题",
    "complicated_process",
    { urgent: false, important: true, impact: Impact.LOW, departmentId: d.call, frequency: 9 },
    p.callLead,
  );
  const handover = await cause(p.callLead, process, CauseCategory.METHOD, "工单转交时未附通话摘要");
  await cause(p.callLead, process, CauseCategory.MACHINE, "客服系统与工单系统未打通", handover);
  await at("2026-10-12T02:00:00Z");
  await confirm(handover, "抽查 30 张转交工单，26 张无摘要");
  await action(p.callLead, {
    issueId: process, causeId: handover, description: "工单转交强制填写通话摘要", metric: "重复说明投诉数（件/月）",
    baseline: 9, target: 2, owner: p.callLead, plannedStart: "2026-11-01", plannedEnd: "2026-11-30",
  });
  await propose(p.callLead, process);

  // 5. In analysis: hypotheses still open on several bones.
  const pricing = await open(
    "2026-10-19T02:00:00Z",
    "维修收费时未一次性告知配件价格",
    "10 月 6 条评价提到“价格不透明”",
    "opaque_pricing",
    { urgent: true, important: true, impact: Impact.MEDIUM, departmentId: d.service, frequency: 6 },
    p.serviceLead,
  );
  const list = await cause(p.serviceLead, pricing, CauseCategory.MATERIAL, "配件价格表未及时更新");
  await cause(p.serviceLead, pricing, CauseCategory.MATERIAL, "供应商调价未同步", list);
  await cause(p.serviceLead, pricing, CauseCategory.METHOD, "报价流程未要求书面确认");
  await cause(p.serviceLead, pricing, CauseCategory.MEASUREMENT, "投诉分类口径不一，难以统计");
  await cause(p.serviceLead, pricing, CauseCategory.ENVIRONMENT, "上门现场无网络，无法查询价格");

  // 6. A fresh complaint, registered and triaged at the end of the month.
  await at("2026-10-28T03:00:00Z");
  const customer = await services.reference.createCustomer({ name: "演示投诉客户", region: "华东" });
  const complaint = await issues.registerComplaint(p.agent, {
    customerId: customer.id,
    ticketId: null,
    channel: Channel.PHONE,
    scores: [
      { dimension: "attitude", score: 1 },
      { dimension: "overall", score: 2 },
    ],
    comment: "工程师态度恶劣，甩脸色",
    title: "客户投诉：工程师服务态度差",
    tier: ComplaintTier.TIER_2,
  });
  await at("2026-10-28T03:40:00Z");
  ok(
    await issues.triage(p.quality, complaint.id, { urgent: true, important: false, impact: Impact.LOW, departmentId: d.service, complaintTier: ComplaintTier.TIER_2 }, null),
    "triage complaint",
  );
  await backdate(clock.now());
  return 6;
}

/** Tables whose `createdAt` the review reads (opened in the month, returned to analysis …). */
const DATED: EntityTarget<{ id: number; createdAt: Date }>[] = [
  Issue,
  Cause,
  ActionItem,
  ProgressUpdate,
  AdjustmentRequest,
  VerificationCheck,
];

/**
 * `createdAt` columns are filled by the database with the wall-clock time, not the injected clock,
 * so rows written while the story's clock says June would be dated today. After each step of the
 * story, the rows it added are dated to the story's clock: the returned function sets `createdAt`
 * of every row above the last watermark, then raises the watermarks.
 */
function createdAtStamper(dataSource: DataSource): (at: Date) => Promise<void> {
  stampTransitionsWithClock(dataSource);
  const watermarks = new Map<EntityTarget<{ id: number; createdAt: Date }>, number>(DATED.map((entity) => [entity, 0]));
  return async (at) => {
    for (const entity of DATED) {
      const after = watermarks.get(entity)!;
      await dataSource.createQueryBuilder().update(entity).set({ createdAt: at }).where("id > :after", { after }).execute();
      const newest = await dataSource.getRepository(entity).createQueryBuilder("row").select("MAX(row.id)", "id").getRawOne<{ id: number | null }>();
      watermarks.set(entity, Number(newest?.id ?? after));
    }
  };
}

/**
 * The transition log is append-only (a database trigger refuses UPDATE), so its rows cannot be
 * dated afterwards like the tables above: they get the story's clock as they are inserted.
 * Installed once per DataSource; outside a story the clock is the system clock, as the default.
 */
const stamped = new WeakSet<DataSource>();
function stampTransitionsWithClock(dataSource: DataSource): void {
  if (stamped.has(dataSource)) return;
  stamped.add(dataSource);
  const subscriber: EntitySubscriberInterface<TransitionLog> = {
    listenTo: () => TransitionLog,
    beforeInsert: (event) => {
      event.entity.createdAt ??= clockOf(dataSource).now();
    },
  };
  dataSource.subscribers.push(subscriber);
}
