import { createHash, randomBytes } from "node:crypto";
import { DataSource, IsNull } from "typeorm";
import { ApiToken, User } from "../entity";

const TOKEN_PREFIX = "qlp_";

/**
 * How long a resolved token is trusted without asking the database again. Every request carries
 * a token, and its lookup (2 statements) was a measured share of the bare request path (W4, W6);
 * a revoke through any AuthService on the same DataSource drops the entry at once, so the TTL
 * only bounds a revoke made by another process (e.g. `qloop token revoke` while serving).
 */
export const TOKEN_CACHE_TTL_MS = 5_000;
const TOKEN_CACHE_MAX = 10_000;

interface CachedToken {
  tokenId: number;
  user: User;
  expiresAt: number;
}

/** Shared by every AuthService on one DataSource (the server's and the CLI's or tests' own). */
const tokenCaches = new WeakMap<DataSource, Map<string, CachedToken>>();

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Issues bearer tokens and resolves them to users. Only token hashes are stored. */
export class AuthService {
  private readonly cache: Map<string, CachedToken>;

  constructor(private readonly dataSource: DataSource) {
    let cache = tokenCaches.get(dataSource);
    if (!cache) tokenCaches.set(dataSource, (cache = new Map()));
    this.cache = cache;
  }

  /** Creates a token for a user and returns it; it cannot be shown again. */
  async issueToken(userId: number, label: string): Promise<string> {
    const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
    await this.dataSource.getRepository(ApiToken).insert({ userId, label, tokenHash: hashToken(token), revokedAt: null });
    return token;
  }

  async revokeToken(tokenId: number): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(ApiToken)
      .update({ id: tokenId, revokedAt: IsNull() }, { revokedAt: new Date() });
    for (const [hash, entry] of this.cache) if (entry.tokenId === tokenId) this.cache.delete(hash);
    return result.affected === 1;
  }

  /** The user behind a bearer token, or null for an unknown or revoked token. */
  async userForToken(token: string): Promise<User | null> {
    const tokenHash = hashToken(token);
    const cached = this.cache.get(tokenHash);
    if (cached && cached.expiresAt > Date.now()) return cached.user;
    const row = await this.dataSource.getRepository(ApiToken).findOne({ where: { tokenHash, revokedAt: IsNull() } });
    const user = row ? await this.dataSource.getRepository(User).findOneBy({ id: row.userId }) : null;
    if (row && user) {
      if (this.cache.size >= TOKEN_CACHE_MAX) this.cache.clear();
      this.cache.set(tokenHash, { tokenId: row.id, user, expiresAt: Date.now() + TOKEN_CACHE_TTL_MS });
    } else {
      this.cache.delete(tokenHash);
    }
    return user;
  }
}
