import path from "node:path";
import { GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { projectRoot } from "../common/paths";
import { authChecker } from "./auth-checker";
import { ActionItemResolver, ProgressUpdateResolver } from "./resolvers/action-item.resolver";
import { AdjustmentRequestResolver } from "./resolvers/adjustment-request.resolver";
import { CauseResolver } from "./resolvers/cause.resolver";
import { DirectoryResolver } from "./resolvers/directory.resolver";
import { FeedbackResolver } from "./resolvers/feedback.resolver";
import { IssueResolver } from "./resolvers/issue.resolver";
import { ReferenceResolver, ServiceTicketResolver, SurveyTemplateResolver } from "./resolvers/reference.resolver";
import { VerificationCheckResolver } from "./resolvers/verification-check.resolver";
import { WorkflowResolver } from "./resolvers/workflow.resolver";

export const RESOLVERS = [
  DirectoryResolver,
  ReferenceResolver,
  ServiceTicketResolver,
  SurveyTemplateResolver,
  FeedbackResolver,
  IssueResolver,
  CauseResolver,
  ActionItemResolver,
  ProgressUpdateResolver,
  AdjustmentRequestResolver,
  VerificationCheckResolver,
  WorkflowResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global anyway). */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    validate: { forbidUnknownValues: false },
  });
  return built;
}

export const schemaFile = () => path.join(projectRoot(), "schema", "schema.graphql");

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSchemaSdl(): Promise<string> {
  return printSchema(lexicographicSortSchema(await getSchema())) + "\n";
}
