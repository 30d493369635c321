import { randomInt } from "node:crypto";
import {
  CLI_USER_CODE_ALPHABET,
  type CliLoginPollResponse,
  type CliLoginStartResponse,
  patGrantableScopes,
  type Scope,
  type SessionId,
  scopesForRole,
  type UserId,
  type WorkspaceId,
  type WorkspaceRole,
} from "@agenthifive/contracts";
import { generateToken, hashToken } from "@agenthifive/security";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { auditUserAction } from "../audit/index.js";
import type { PatService } from "../tokens/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import {
  accessDenied,
  authorizationPending,
  expiredToken,
  slowDown,
  userCodeNotFound,
} from "./cli-login.errors.js";
import { createCliLoginRepo } from "./cli-login.repo.js";

export const CLI_LOGIN_TTL_SECONDS = 600;
export const CLI_LOGIN_INTERVAL_SECONDS = 5;
const SLOW_DOWN_STEP_SECONDS = 5;
const PAT_DAYS = 90;

export interface CliLoginServiceDeps {
  database: Database;
  clock: Clock;
  pats: PatService;
  liveRole(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined>;
  /** WEB_URL: the dashboard, which hosts the confirmation page. */
  config: { WEB_URL: string };
}

/** 8 letters from a 20-letter alphabet without vowels or look-alikes (~34 bits), shown as XXXX-XXXX. */
function newUserCode(): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += CLI_USER_CODE_ALPHABET[randomInt(CLI_USER_CODE_ALPHABET.length)];
  return code;
}
export const normaliseUserCode = (code: string) => code.toUpperCase().replace(/[^A-Z]/g, "");
const display = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/**
 * `ah5 login` (API.md §3.7): device-authorization style. The device code is a 256-bit bearer
 * secret stored hashed; a signed-in person confirms the user code with a POST and picks scopes;
 * the first poll after that gets a PAT, minted by the PAT service, exactly once.
 */
export function createCliLoginService(deps: CliLoginServiceDeps) {
  const repo = createCliLoginRepo();
  const { db } = deps.database;

  return {
    async start(deviceName: string | undefined): Promise<CliLoginStartResponse> {
      const deviceCode = generateToken("ah5d");
      const userCode = newUserCode();
      const now = deps.clock.now();
      await repo.insert(db, {
        id: newId(),
        deviceCodeHash: hashToken(deviceCode),
        userCode,
        deviceName: deviceName ?? "ah5 CLI",
        pollIntervalSeconds: CLI_LOGIN_INTERVAL_SECONDS,
        expiresAt: new Date(now.getTime() + CLI_LOGIN_TTL_SECONDS * 1000),
        createdAt: now,
        updatedAt: now,
      });
      const verificationUri = `${deps.config.WEB_URL}/cli/login`;
      return {
        deviceCode,
        userCode: display(userCode),
        verificationUri,
        verificationUriComplete: `${verificationUri}?code=${display(userCode)}`,
        interval: CLI_LOGIN_INTERVAL_SECONDS,
        expiresIn: CLI_LOGIN_TTL_SECONDS,
      };
    },

    /** The pending request behind a code, for the person to check before confirming it. */
    async pending(userCode: string) {
      const row = await repo.findPendingByUserCode(db, normaliseUserCode(userCode), deps.clock.now());
      if (!row) throw userCodeNotFound();
      return {
        deviceName: row.deviceName,
        requestedAt: row.createdAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
      };
    },

    /** The person confirms (or refuses) the code shown by the CLI. Scopes are checked now, not at poll. */
    async decide(
      p: UserPrincipal,
      input: { userCode: string; scopes?: Scope[] },
      status: "approved" | "denied",
      requestId: string,
    ) {
      const now = deps.clock.now();
      const scopes = [...new Set(input.scopes ?? [])];
      if (status === "approved") {
        const grantable = new Set(patGrantableScopes(p.roles[0] ?? "viewer"));
        const refused = scopes.filter((s) => !grantable.has(s));
        if (refused.length > 0) {
          throw new AppError(
            "SCOPE_MISSING",
            "A token cannot carry scopes you do not hold or that need a session.",
            {
              details: { required: refused, reason: "not_grantable" },
              hint: "Choose scopes your role allows; tokens:manage, members:manage and workspace:delete need the dashboard.",
            },
          );
        }
      }
      return db.transaction(async (tx) => {
        const row = await repo.findPendingByUserCode(tx, normaliseUserCode(input.userCode), now);
        if (!row) throw userCodeNotFound();
        const decided = await repo.decide(
          tx,
          row.id,
          { status, userId: p.userId, workspaceId: p.workspaceId, scopes },
          now,
        );
        if (!decided) throw userCodeNotFound();
        await auditUserAction(tx, p, now, {
          action: status === "approved" ? "cli_login.approved" : "cli_login.denied",
          targetType: "cli_login_request",
          targetId: row.id,
          requestId,
          details: { deviceName: row.deviceName, ...(status === "approved" ? { scopes } : {}) },
        });
        return { status, deviceName: row.deviceName };
      });
    },

    async poll(deviceCode: string, requestId: string): Promise<CliLoginPollResponse> {
      const now = deps.clock.now();
      const row = await repo.findByDeviceCodeHash(db, hashToken(deviceCode));
      if (!row || row.status === "consumed" || row.status === "expired" || row.expiresAt <= now) {
        throw expiredToken();
      }
      if (row.status === "denied") throw accessDenied();
      if (row.status === "pending") {
        if (!(await repo.recordPoll(db, row, now))) {
          const interval = row.pollIntervalSeconds + SLOW_DOWN_STEP_SECONDS;
          await repo.slowDown(db, row.id, interval, now);
          throw slowDown(interval);
        }
        throw authorizationPending();
      }
      // approved: the one poll that wins the claim gets the token.
      const claimed = await repo.claim(db, row.id, now);
      if (!claimed?.userId || !claimed.workspaceId) throw expiredToken();
      const role = await deps.liveRole(claimed.workspaceId, claimed.userId);
      if (!role) throw accessDenied();
      const principal: UserPrincipal = {
        kind: "user",
        userId: claimed.userId as UserId,
        workspaceId: claimed.workspaceId as WorkspaceId,
        roles: [role],
        scopes: scopesForRole(role),
        credential: "jwt",
        credentialId: claimed.id,
        sessionId: undefined as SessionId | undefined,
      };
      const created = await deps.pats.create(
        principal,
        { name: claimed.deviceName, scopes: claimed.scopes as Scope[], expiresInDays: PAT_DAYS },
        requestId,
      );
      await db.transaction(async (tx) => {
        await repo.setPat(tx, claimed.id, created.pat.id);
        await auditUserAction(tx, principal, deps.clock.now(), {
          action: "cli_login.completed",
          targetType: "cli_login_request",
          targetId: claimed.id,
          requestId,
          details: { patId: created.pat.id, deviceName: claimed.deviceName },
        });
      });
      return created;
    },
  };
}
export type CliLoginService = ReturnType<typeof createCliLoginService>;
