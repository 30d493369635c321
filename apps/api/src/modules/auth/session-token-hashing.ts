import { createHash } from "node:crypto";
import type { DBAdapter, Where } from "@better-auth/core/db/adapter";

const SESSION_MODELS = new Set(["session", "sessions"]);
const HASHED = /^[0-9a-f]{64}$/;

/** SHA-256 hex of a session token: what t_sessions.token holds (DATA-MODEL.md §2.1). */
export const hashSessionToken = (token: string) =>
  HASHED.test(token) ? token : createHash("sha256").update(token).digest("hex");

function hashWhere(where: Where[] | undefined): { where: Where[] | undefined; raw: string | undefined } {
  let raw: string | undefined;
  const hashed = where?.map((w) => {
    if (w.field !== "token" || typeof w.value !== "string") return w;
    if (!HASHED.test(w.value)) raw = w.value;
    return { ...w, value: hashSessionToken(w.value) };
  });
  return { where: hashed, raw };
}

function restore<T>(row: T, raw: string | undefined): T {
  if (!raw || !row || typeof row !== "object") return row;
  return { ...(row as Record<string, unknown>), token: raw } as T;
}

/**
 * Better Auth looks sessions up only by equality on `token`, so a thin adapter wrapper can store
 * the SHA-256 of the token instead of the token: a copy of the database (a backup, a replica, a
 * leaked dump) holds no usable session cookie. Rows read by token get the raw token back, so
 * Better Auth behaves as before; rows listed without a token filter carry the hash, which is
 * accepted in turn (e.g. to revoke a listed session).
 */
export function hashSessionTokens<F extends (options: never) => DBAdapter>(factory: F): F {
  return ((options: never) => {
    const a = factory(options);
    const isSession = (model: string) => SESSION_MODELS.has(model);
    return {
      ...a,
      async create(data) {
        const token = (data.data as Record<string, unknown>).token;
        if (!isSession(data.model) || typeof token !== "string") return a.create(data);
        const row = await a.create({ ...data, data: { ...data.data, token: hashSessionToken(token) } });
        return restore(row, token);
      },
      async findOne(data) {
        if (!isSession(data.model)) return a.findOne(data);
        const { where, raw } = hashWhere(data.where);
        return restore(await a.findOne({ ...data, where: where ?? [] }), raw);
      },
      async findMany(data) {
        if (!isSession(data.model)) return a.findMany(data);
        const { where, raw } = hashWhere(data.where);
        return (await a.findMany({ ...data, where })).map((r) => restore(r, raw));
      },
      async update(data) {
        if (!isSession(data.model)) return a.update(data);
        const { where, raw } = hashWhere(data.where);
        return restore(await a.update({ ...data, where: where ?? [] }), raw);
      },
      async updateMany(data) {
        if (!isSession(data.model)) return a.updateMany(data);
        return a.updateMany({ ...data, where: hashWhere(data.where).where ?? [] });
      },
      async delete(data) {
        if (!isSession(data.model)) return a.delete(data);
        return a.delete({ ...data, where: hashWhere(data.where).where ?? [] });
      },
      async deleteMany(data) {
        if (!isSession(data.model)) return a.deleteMany(data);
        return a.deleteMany({ ...data, where: hashWhere(data.where).where ?? [] });
      },
      async count(data) {
        if (!isSession(data.model)) return a.count(data);
        return a.count({ ...data, where: hashWhere(data.where).where });
      },
    } as DBAdapter;
  }) as F;
}
