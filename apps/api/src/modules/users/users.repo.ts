import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { users } from "../../db/schema/index.js";

export function createUserRepo() {
  return {
    findById: async (db: DbOrTx, id: string) =>
      (
        await db
          .select({
            id: users.id,
            email: users.email,
            emailVerified: users.emailVerified,
            disabledAt: users.disabledAt,
          })
          .from(users)
          .where(eq(users.id, id))
          .limit(1)
      )[0],
  };
}
