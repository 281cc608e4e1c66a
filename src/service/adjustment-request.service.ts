import { DataSource } from "typeorm";

export class AdjustmentRequestService {
  constructor(private readonly dataSource: DataSource) {}
}
