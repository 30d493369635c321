import { customType, timestamp } from "drizzle-orm/pg-core";

/** Every instant is timestamptz, read as a Date (DATA-MODEL.md §1). */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** created_at / updated_at of every t_ table; the repo layer sets updated_at on writes. */
export const stamps = () => ({
  createdAt: instant("created_at").notNull().defaultNow(),
  updatedAt: instant("updated_at").notNull().defaultNow(),
});

/** SHA-256 digests and hash-chain links are stored as raw bytes. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => Buffer.from(v),
});
