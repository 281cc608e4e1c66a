import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { parseOptionalId } from "../../common/errors";
import { Department, Issue, User } from "../../entity";
import { ComplaintSla } from "../../entity/sla/complaint-sla.entity";
import { SlaEscalation } from "../../entity/sla/sla-escalation.entity";
import { RequestContext, requireActor } from "../context";
import {
  ComplaintSlaAttainment,
  ComplaintSlaAttainmentArgs,
  ComplaintSlaAttainmentReport,
  ComplaintSlaStage,
} from "../types/complaint-sla.types";

/** Adds the SLA clock to Issue. */
@Resolver(() => Issue)
export class IssueSlaResolver {
  @FieldResolver(() => ComplaintSla, {
    nullable: true,
    description: "The complaint SLA (due times, met/breached per stage, escalations); null for systemic issues.",
  })
  sla(@Root() issue: Issue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.complaintSlaByIssue.load(issue.id);
  }
}

@Resolver(() => ComplaintSla)
export class ComplaintSlaResolver {
  @FieldResolver(() => [ComplaintSlaStage], { description: "RESPOND, PLAN and CLOSE, each judged now." })
  stages(@Root() sla: ComplaintSla, @Ctx() ctx: RequestContext): ComplaintSlaStage[] {
    return ctx.services.complaintSla.stages(sla);
  }

  @FieldResolver(() => [SlaEscalation], { description: "Escalations of breached stages, oldest first." })
  escalations(@Root() sla: ComplaintSla, @Ctx() ctx: RequestContext) {
    return ctx.loaders.slaEscalationsByIssue.load(sla.issueId);
  }
}

@Resolver(() => SlaEscalation)
export class SlaEscalationResolver {
  @FieldResolver(() => [User], { description: "The people who were notified." })
  async recipients(@Root() escalation: SlaEscalation, @Ctx() ctx: RequestContext) {
    const users = await ctx.loaders.user.loadMany(escalation.recipientIds.map(Number));
    return users.filter((user): user is User => user !== null && !(user instanceof Error));
  }

  @FieldResolver(() => Department, { nullable: true, description: "Department whose head(s) were told (level 1)." })
  department(@Root() escalation: SlaEscalation, @Ctx() ctx: RequestContext) {
    return escalation.departmentId === null ? null : ctx.loaders.department.load(escalation.departmentId);
  }
}

@Resolver(() => ComplaintSlaAttainment)
export class ComplaintSlaAttainmentResolver {
  @Authorized()
  @Query(() => ComplaintSlaAttainmentReport, {
    description:
      "Complaint SLA attainment (1 h response, 24 h plan, 72 h closure rates with their counts) for " +
      "complaints registered in [from, to), overall and per department.",
  })
  complaintSlaAttainment(@Args() args: ComplaintSlaAttainmentArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.complaintSla.attainment(
      {
        from: args.from,
        to: args.to,
        departmentId: parseOptionalId(args.departmentId, "departmentId"),
      },
      requireActor(ctx),
    );
  }

  @FieldResolver(() => Department, {
    nullable: true,
    description: "The department; null for all, or for untriaged complaints.",
  })
  department(@Root() row: ComplaintSlaAttainment, @Ctx() ctx: RequestContext) {
    return row.departmentId === null ? null : ctx.loaders.department.load(row.departmentId);
  }
}
