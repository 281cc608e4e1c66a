import { DataSource } from "typeorm";

export class CauseService {
  constructor(private readonly dataSource: DataSource) {}
}
