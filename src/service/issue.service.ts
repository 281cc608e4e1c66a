import { DataSource } from "typeorm";

export class IssueService {
  constructor(private readonly dataSource: DataSource) {}
}
