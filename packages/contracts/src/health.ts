import { z } from "zod";

export const HealthResponseSchema = z.object({ status: z.literal("ok") });
const check = z.enum(["ok", "fail"]);
export const ReadyResponseSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  checks: z.object({ db: check, migrations: check, keys: check }),
});
