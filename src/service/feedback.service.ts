import { DataSource } from "typeorm";

export class FeedbackService {
  constructor(private readonly dataSource: DataSource) {}
}
