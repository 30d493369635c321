import { HealthResponseSchema, ReadyResponseSchema } from "@agenthifive/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

export interface ReadinessChecks {
  db(): Promise<boolean>;
  migrations(): Promise<boolean>;
  keys(): Promise<boolean>;
}

const ok = (v: boolean) => (v ? "ok" : "fail") as "ok" | "fail";
const safely = (f: () => Promise<boolean>) => f().catch(() => false);

export const healthRoutes: FastifyPluginAsyncZod<{
  checks: ReadinessChecks;
  isShuttingDown(): boolean;
}> = async (app, { checks, isShuttingDown }) => {
  app.get(
    "/health",
    {
      config: { principal: "public" },
      schema: { tags: ["health"], response: { 200: HealthResponseSchema } },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/ready",
    {
      config: { principal: "public" },
      schema: { tags: ["health"], response: { 200: ReadyResponseSchema, 503: ReadyResponseSchema } },
    },
    async (_request, reply) => {
      const [db, migrations, keys] = await Promise.all([
        safely(checks.db),
        safely(checks.migrations),
        safely(checks.keys),
      ]);
      const ready = db && migrations && keys && !isShuttingDown();
      reply.header("cache-control", "no-store");
      return reply.status(ready ? 200 : 503).send({
        status: ready ? "ready" : "not_ready",
        checks: { db: ok(db), migrations: ok(migrations), keys: ok(keys) },
      });
    },
  );
};
