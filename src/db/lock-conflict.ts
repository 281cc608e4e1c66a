/**
 * MySQL/MariaDB's deadlock (1213) and lock wait timeout (1205). The server has rolled back (or, for
 * a timeout, must roll back) the transaction: nothing of it committed, so it can simply run again.
 */
export function isLockConflict(error: unknown): boolean {
  const errno = (error as { driverError?: { errno?: number } } | null)?.driverError?.errno;
  return errno === 1213 || errno === 1205;
}

/** A short random pause before running a transaction again, longer with each attempt, so the two
 * transactions that collided do not collide again in step. */
export function lockConflictBackoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
}

/**
 * Runs `transaction` (a whole transaction, started and ended by it) and runs it again, up to
 * `maxRetries` times, when it lost a lock conflict. Any other error is thrown at once.
 */
export async function retryOnLockConflict<T>(transaction: () => Promise<T>, maxRetries = 5): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (!isLockConflict(error) || attempt >= maxRetries) throw error;
      await lockConflictBackoff(attempt);
    }
  }
}
