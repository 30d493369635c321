import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config/config.js";
import { genericProviderFromConfig } from "../src/modules/connections/index.js";
import { API_MAIN } from "./helpers/processes.js";

describe("loadConfig", () => {
  it("has working defaults for development", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      NODE_ENV: "development",
      PORT: 4000,
      WEB_ORIGINS: ["http://localhost:3000"],
      DEV_MAILBOX_ENABLED: true,
    });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it("names every bad variable at once and never echoes a value", () => {
    const secretish = "mysql://root:hunter2@db";
    try {
      loadConfig({
        PORT: "seventy",
        DATABASE_URL: secretish,
        LOG_LEVEL: "loud",
        AUTH_SECRET: "short",
        GOOGLE_CLIENT_ID: "x",
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join("\n");
      for (const name of ["PORT", "DATABASE_URL", "LOG_LEVEL", "AUTH_SECRET", "GOOGLE_CLIENT_SECRET"]) {
        expect(problems).toContain(name);
      }
      expect((e as Error).message).not.toContain("hunter2");
      expect((e as Error).message).not.toContain("short");
    }
  });

  it("requires real secrets and a database server in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrowError(
      /AUTH_SECRET[\s\S]*ENCRYPTION_KEYS[\s\S]*DATABASE_URL/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: "production",
        AUTH_SECRET: "x".repeat(40),
        ENCRYPTION_KEYS: "k1:abc",
        DATABASE_URL: "postgres://db/ah5",
        DEV_MAILBOX_ENABLED: "true",
      }),
    ).toThrowError(/DEV_MAILBOX_ENABLED/);
  });

  it("keeps the public dev mailbox away from real mail", () => {
    const smtp = "smtp://mailer:pw@mail.example.com:587";
    expect(loadConfig({ SMTP_URL: smtp }).DEV_MAILBOX_ENABLED).toBe(false);
    expect(() => loadConfig({ SMTP_URL: smtp, DEV_MAILBOX_ENABLED: "true" })).toThrowError(
      /DEV_MAILBOX_ENABLED: must be off when SMTP_URL/,
    );
    expect(loadConfig({ DEV_MAILBOX_ENABLED: "false" }).DEV_MAILBOX_ENABLED).toBe(false);
  });

  it("configures the generic OIDC provider only with its issuer, client and https API origins", () => {
    expect(() => loadConfig({ OAUTH_GENERIC_ISSUER: "https://sso.example.com" })).toThrowError(
      /OAUTH_GENERIC_CLIENT_ID[\s\S]*OAUTH_GENERIC_API_ORIGINS/,
    );
    const c = loadConfig({
      OAUTH_GENERIC_ISSUER: "https://sso.example.com/realms/acme/",
      OAUTH_GENERIC_CLIENT_ID: "ah5",
      OAUTH_GENERIC_API_ORIGINS: "https://api.example.com, https://files.example.com",
    });
    expect(c.OAUTH_GENERIC_ISSUER).toBe("https://sso.example.com/realms/acme");
    expect(c.OAUTH_GENERIC_API_ORIGINS).toEqual(["https://api.example.com", "https://files.example.com"]);
    const generic = genericProviderFromConfig(c);
    expect(generic?.provider.id).toBe("generic");
    expect(generic?.client).toEqual({ clientId: "ah5" });
    expect(generic?.provider.services[0]?.apiOrigins).toEqual(c.OAUTH_GENERIC_API_ORIGINS);
    expect(() =>
      genericProviderFromConfig({ ...c, OAUTH_GENERIC_API_ORIGINS: ["http://plain.example.com"] }),
    ).toThrowError(/OAUTH_GENERIC_API_ORIGINS/);
    expect(genericProviderFromConfig(loadConfig({}))).toBeUndefined();
  });

  it("takes a worker count, or auto for one per CPU, and only with a database server", () => {
    expect(loadConfig({}).API_WORKERS).toBe(1);
    const pg = { DATABASE_URL: "postgres://db/ah5" };
    expect(loadConfig({ ...pg, API_WORKERS: "3" }).API_WORKERS).toBe(3);
    expect(loadConfig({ ...pg, API_WORKERS: "auto" }).API_WORKERS).toBe(availableParallelism());
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ ...pg, API_WORKERS: "0" })).toEqual([expect.stringMatching(/^API_WORKERS: /)]);
    expect(problems({ ...pg, API_WORKERS: "many" })).toEqual([expect.stringMatching(/^API_WORKERS: /)]);
    expect(problems({ API_WORKERS: "2" })).toEqual([expect.stringContaining("need DATABASE_URL")]);
  });

  it("ignores unrelated variables and empty strings", () => {
    expect(loadConfig({ PATH: "/bin", PORT: "" }).PORT).toBe(4000);
  });
});

describe("the API process", () => {
  it("refuses to start on bad configuration, naming the variables, with exit code 78", () => {
    const res = spawnSync(process.execPath, [API_MAIN], {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        PORT: "-1",
        DATABASE_URL: "mysql://root:hunter2@db",
        DATA_DIR: "/tmp/ah5-never",
      },
      timeout: 20_000,
    });
    expect(res.status).toBe(78);
    expect(res.stderr).toContain("PORT");
    expect(res.stderr).toContain("DATABASE_URL");
    expect(res.stderr).toContain(".env.example");
    expect(res.stderr).not.toContain("hunter2");
  });
});
