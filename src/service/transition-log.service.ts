import { DataSource } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { Resource, restrictToVisible } from "../auth/policy";
import { WorkflowEntity } from "../common/enums";
import { TransitionLog } from "../entity";
import { Connection, PageArgs, paginate } from "../api/pagination";

export interface TransitionLogFilter {
  entityType?: WorkflowEntity | null;
  entityId?: number | null;
  actorId?: number | null;
  from?: Date | null;
  to?: Date | null;
}

/** Reads the append-only transition log. Nothing here writes it: applyTransition does. */
export class TransitionLogService {
  constructor(private readonly dataSource: DataSource) {}

  /** Entries `actor` may see: those of objects outside their scope are left out. */
  list(actor: Actor | null, filter: TransitionLogFilter, page: PageArgs): Promise<Connection<TransitionLog>> {
    const query = this.dataSource.getRepository(TransitionLog).createQueryBuilder("t");
    restrictToVisible(query, "t", actor, Resource.TRANSITION_LOG);
    if (filter.entityType) query.andWhere("t.entityType = :entityType", { entityType: filter.entityType });
    if (filter.entityId) query.andWhere("t.entityId = :entityId", { entityId: filter.entityId });
    if (filter.actorId) query.andWhere("t.actorId = :actorId", { actorId: filter.actorId });
    if (filter.from) query.andWhere("t.createdAt >= :from", { from: filter.from });
    if (filter.to) query.andWhere("t.createdAt < :to", { to: filter.to });
    return paginate(query, "t", page);
  }
}
