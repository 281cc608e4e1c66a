import { ConfigError, loadConfig } from "../../src/config";
import { runQloop } from "./qloop-process";

/** Configuration from environment variables, checked at start, each error naming its variable. */
describe("configuration", () => {
  function variableAtFault(env: NodeJS.ProcessEnv): string {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).variable;
    }
    throw new Error("expected a configuration error");
  }

  it("has working defaults: port 4000, the embedded SQLite file, info logs, 10 s to stop", () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      database: { kind: "sqlite", file: "data/qloop.sqlite" },
      logLevel: "info",
      shutdownTimeoutMs: 10_000,
    });
  });

  it("reads every variable", () => {
    expect(
      loadConfig({
        PORT: "8080",
        DATABASE_URL: "mariadb://root@127.0.0.1:3306/qloop",
        LOG_LEVEL: "WARN",
        QLOOP_SHUTDOWN_TIMEOUT_MS: "2500",
      }),
    ).toEqual({
      port: 8080,
      database: { kind: "mysql", url: "mysql://root@127.0.0.1:3306/qloop", database: "qloop", flavour: "mariadb" },
      logLevel: "warn",
      shutdownTimeoutMs: 2500,
    });
  });

  it.each([
    [{ DATABASE_URL: "nonsense" }, "DATABASE_URL"],
    [{ DATABASE_URL: "postgres://db/qloop" }, "DATABASE_URL"],
    [{ DATABASE_URL: "mysql://db:3306/" }, "DATABASE_URL"],
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ QLOOP_SHUTDOWN_TIMEOUT_MS: "-1" }, "QLOOP_SHUTDOWN_TIMEOUT_MS"],
    [{ QLOOP_SHUTDOWN_TIMEOUT_MS: "soon" }, "QLOOP_SHUTDOWN_TIMEOUT_MS"],
  ])("refuses %j naming %s", (env, variable) => {
    expect(variableAtFault(env)).toBe(variable);
  });

  it.each([
    ["DATABASE_URL", { DATABASE_URL: "nonsense" }],
    ["LOG_LEVEL", { LOG_LEVEL: "loud" }],
    ["QLOOP_MODE", { QLOOP_MODE: "prod" }],
  ])("`qloop serve` with a bad %s exits non-zero at once with one line naming it", async (variable, env) => {
    const started = Date.now();
    const result = await runQloop(["serve"], { PORT: "0", ...env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^qloop: ${variable}: .+\\n$`));
    expect(result.stdout).toBe("");
    // Fast: no database connection attempted, no migrations (the rest is compiling the CLI).
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it("`qloop serve` against a database that cannot be reached exits 1 naming DATABASE_URL", async () => {
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    const result = await runQloop(["serve"], { PORT: "0", DATABASE_URL: "mysql://qloop@127.0.0.1:1/qloop" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^qloop: DATABASE_URL: cannot open the database \(ECONNREFUSED: .+\)\n$/);
  }, 60_000);
});
