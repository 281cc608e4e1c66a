import { Command, CommanderError } from "commander";
import { buildCli } from "../../src/cli/main";
import { runQloop } from "./qloop-process";

/**
 * The `qloop` command line: every command has help, and bad arguments stop it with a clear
 * message and a non-zero exit. The command tree is exercised in-process (commander's exits turned
 * into exceptions); a few cases run the real process to see the exit status and the output.
 */
describe("qloop command line", () => {
  /** Every command of the tree, with its full name ("user create"). */
  function commandsOf(command: Command, prefix: string[] = []): { name: string; command: Command }[] {
    return command.commands.flatMap((child) => {
      const path = [...prefix, child.name()];
      return [{ name: path.join(" "), command: child }, ...commandsOf(child, path)];
    });
  }

  /** Parses argv with commander's exits and output captured; actions of valid commands are not run here. */
  async function parse(args: string[]): Promise<{ exitCode: number; out: string; err: string }> {
    const program = buildCli();
    let out = "";
    let err = "";
    for (const command of [program, ...commandsOf(program).map((entry) => entry.command)]) {
      command.exitOverride().configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (err += text) });
    }
    try {
      await program.parseAsync(["node", "qloop", ...args]);
    } catch (error) {
      if (error instanceof CommanderError) return { exitCode: error.exitCode, out, err };
      return { exitCode: 1, out, err: err + String((error as Error).message) };
    }
    return { exitCode: 0, out, err };
  }

  it("lists serve, migrate, seed, import, report and user/token management in --help", async () => {
    const help = await parse(["--help"]);
    expect(help.exitCode).toBe(0);
    for (const command of ["serve", "migrate", "seed", "import", "report", "user", "token", "department", "sweep"]) {
      expect([command, help.out]).toEqual([command, expect.stringMatching(new RegExp(`^  ${command}\\b`, "m"))]);
    }
  });

  it("gives every command and subcommand its own help with a description", async () => {
    const names = commandsOf(buildCli()).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(["seed", "user create", "token create", "token revoke", "import feedback"]));
    for (const name of names) {
      const help = await parse([...name.split(" "), "--help"]);
      expect([name, help.exitCode]).toEqual([name, 0]);
      expect([name, help.out]).toEqual([name, expect.stringContaining(`Usage: qloop ${name}`)]);
    }
    for (const { name, command } of commandsOf(buildCli())) {
      expect([name, command.description().length > 0]).toEqual([name, true]);
    }
  });

  it.each([
    [["bogus"], /unknown command 'bogus'/],
    [["user", "create", "--name", "张三", "--email", "z@example.com", "--roles", "BOSS"], /unknown role BOSS; roles are AGENT/],
    [["user", "create", "--name", "张三", "--email", "z@example.com"], /required option '--roles <roles>' not specified/],
    [["user", "create", "--name", "张三", "--email", "z@example.com", "--roles", "AGENT", "--department", "x"], /--department.*must be a positive integer/],
    [["token", "revoke", "abc"], /value 'abc' is invalid for argument 'id'\. must be a positive integer/],
    [["report", "yearly", "--period", "2026"], /value 'yearly' is invalid for argument 'kind'\. Allowed choices are weekly, monthly/],
    [["seed", "--demo", "--colour"], /unknown option '--colour'/],
  ])("refuses %j with a clear message and a non-zero exit", async (args, message) => {
    const result = await parse(args);
    expect(result.exitCode).not.toBe(0);
    expect(result.err).toMatch(message);
  });

  it("exits 1 from the real process, printing the error and the command's usage", async () => {
    const result = await runQloop(["token", "revoke", "abc"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: command-argument value 'abc' is invalid for argument 'id'\. must be a positive integer/);
    expect(result.stderr).toContain("Usage: qloop token revoke [options] <id>");
    expect(result.stdout).toBe("");
  }, 60_000);

  it("prints the top-level help from the real process", async () => {
    const result = await runQloop(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: qloop \[options\] \[command\]/);
    expect(result.stdout).toMatch(/^  seed \[options\] +fill the database/m);
  }, 60_000);
});
