import { DataSource } from "typeorm";

export class ReferenceService {
  constructor(private readonly dataSource: DataSource) {}
}
