import { In } from "typeorm";
import { isLockConflict, retryOnLockConflict } from "../../src/db/lock-conflict";
import { inTransaction } from "../../src/db/transaction";
import { Customer } from "../../src/entity";
import { startTestApp, TestApp } from "../support/test-app";

/**
 * retryOnLockConflict against a real deadlock: two transactions update the same two rows in
 * opposite orders. On MariaDB the server picks one as the victim and rolls it back; run again,
 * it commits after the other. On SQLite transactions are serialised, so there is no deadlock and
 * each runs once.
 */
describe("running a transaction again after a deadlock", () => {
  let app: TestApp;
  let ids: number[];

  beforeAll(async () => {
    app = await startTestApp();
    const saved = await app.dataSource
      .getRepository(Customer)
      .save([
        { name: "甲", code: "LC-A" },
        { name: "乙", code: "LC-B" },
      ]);
    ids = saved.map((c) => c.id);
  });

  afterAll(() => app?.stop());


  it("commits both transactions, the deadlock's victim on its second attempt", async () => {
    const mysql = app.dataSource.options.type !== "better-sqlite3";
    let attempts = 0;
    const errors: unknown[] = [];
    // Each holds its first row until the other holds its own (or 300 ms passed: serialised).
    let arrived = 0;
    const bothHoldOne = () =>
      new Promise<void>((resolve) => {
        arrived++;
        const started = Date.now();
        const poll = () => (arrived >= 2 || Date.now() - started > 300 ? resolve() : setTimeout(poll, 5));
        poll();
      });
    const swap = (first: number, second: number, name: string) =>
      retryOnLockConflict(() =>
        inTransaction(app.dataSource, async (tx) => {
          attempts++;
          try {
            await tx.query(`UPDATE customer SET name = ? WHERE id = ?`, [`${name}-1`, first]);
            await bothHoldOne();
            await tx.query(`UPDATE customer SET name = ? WHERE id = ?`, [`${name}-2`, second]);
          } catch (error) {
            errors.push(error);
            throw error;
          }
        }),
      );

    await Promise.all([swap(ids[0], ids[1], "x"), swap(ids[1], ids[0], "y")]);

    expect(attempts).toBe(mysql ? 3 : 2);
    expect(errors.filter(isLockConflict)).toHaveLength(mysql ? 1 : 0);
    // The victim ran again after the other committed, so its writes are the last ones.
    const names = (await app.dataSource.getRepository(Customer).findBy({ id: In(ids) })).map((c) => c.name).sort();
    expect(names).toHaveLength(2);
    expect(names[0][0]).toBe(names[1][0]);
  });

  it("does not run a transaction again for any other error", async () => {
    let attempts = 0;
    await expect(
      retryOnLockConflict(() =>
        inTransaction(app.dataSource, async (tx) => {
          attempts++;
          await tx.query("SELECT * FROM no_such_table");
        }),
      ),
    ).rejects.toThrow();
    expect(attempts).toBe(1);
  });
});
