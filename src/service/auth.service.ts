import { createHash, randomBytes } from "node:crypto";
import { DataSource, IsNull } from "typeorm";
import { ApiToken, User } from "../entity";

const TOKEN_PREFIX = "qlp_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Issues bearer tokens and resolves them to users. Only token hashes are stored. */
export class AuthService {
  constructor(private readonly dataSource: DataSource) {}

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
    return result.affected === 1;
  }

  /** The user behind a bearer token, or null for an unknown or revoked token. */
  async userForToken(token: string): Promise<User | null> {
    const row = await this.dataSource
      .getRepository(ApiToken)
      .findOne({ where: { tokenHash: hashToken(token), revokedAt: IsNull() } });
    if (!row) return null;
    return this.dataSource.getRepository(User).findOneBy({ id: row.userId });
  }
}
