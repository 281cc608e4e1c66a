import "reflect-metadata";
import { loadConfig } from "./src/config";
import { createDataSource } from "./src/db/data-source";

/** The DataSource the app and the TypeORM CLI share; DATABASE_URL picks MySQL or SQLite. */
export default createDataSource(loadConfig().database);
