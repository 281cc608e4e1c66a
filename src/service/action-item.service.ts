import { DataSource } from "typeorm";

export class ActionItemService {
  constructor(private readonly dataSource: DataSource) {}
}
