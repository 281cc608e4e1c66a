import { DataSource } from "typeorm";

export class VerificationCheckService {
  constructor(private readonly dataSource: DataSource) {}
}
