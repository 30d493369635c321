import { Readable } from "node:stream";
import type { AuditEvent } from "@agenthifive/contracts";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, notFound } from "../../lib/errors.js";
import type { UserPrincipal } from "../workspaces/index.js";
import { type AuditFilter, type AuditRow, createAuditQueryRepo } from "./audit-query.repo.js";
import { verifyAuditChain } from "./audit-sealer.js";
import type { AuditWriter } from "./audit-writer.js";

const EXPORT_PAGE = 1000;
const MAX_EXPORTS_PER_WORKSPACE = 2;
const MAX_EXPORT_SPAN_MS = 366 * 86_400_000;

export function toAuditEvent(r: AuditRow): AuditEvent {
  return {
    id: r.id,
    seq: r.seq,
    occurredAt: r.occurredAt.toISOString(),
    workspaceId: r.workspaceId,
    actor: { kind: r.actorType, id: r.actorId },
    action: r.action,
    target: r.targetType ? { type: r.targetType, id: r.targetId } : null,
    agentId: r.agentId,
    connectionId: r.connectionId,
    policyId: r.policyId,
    policyVersion: r.policyVersion,
    decision: r.decision,
    outcome: r.outcome,
    code: r.code,
    providerStatus: r.httpStatus,
    durationMs: r.latencyMs,
    requestId: r.requestId,
    metadata: r.details,
    hash: r.hash?.toString("hex") ?? null,
    prevHash: r.prevHash?.toString("hex") ?? null,
  };
}

const CSV_COLUMNS = [
  "id",
  "seq",
  "occurredAt",
  "actorKind",
  "actorId",
  "action",
  "agentId",
  "connectionId",
  "policyId",
  "policyVersion",
  "decision",
  "outcome",
  "code",
  "providerStatus",
  "durationMs",
  "requestId",
  "metadata",
  "hash",
];

/**
 * A spreadsheet opens a cell starting with = + - @ (or a tab / CR) as a formula: prefix such
 * values with a quote so an agent-influenced string can never execute on an auditor's machine.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvRecord(e: AuditEvent): string[] {
  const cells: unknown[] = [
    e.id,
    e.seq,
    e.occurredAt,
    e.actor.kind,
    e.actor.id,
    e.action,
    e.agentId,
    e.connectionId,
    e.policyId,
    e.policyVersion,
    e.decision,
    e.outcome,
    e.code,
    e.providerStatus,
    e.durationMs,
    e.requestId,
    JSON.stringify(e.metadata),
    e.hash,
  ];
  return cells.map((c) => (c === null || c === undefined ? "" : neutraliseFormula(String(c))));
}

export function createAuditService(deps: {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  writer: AuditWriter;
}) {
  const repo = createAuditQueryRepo();
  const { db } = deps.database;
  const exportsRunning = new Map<string, number>();

  return {
    async list(p: UserPrincipal, filter: AuditFilter, limit: number, cursor?: string) {
      const after = deps.cursors.decode("audit", { w: p.workspaceId, ...filter }, cursor);
      const rows = await repo.page(db, p.workspaceId, filter, limit + 1, after);
      return toPage(
        rows,
        limit,
        (r) => r.id,
        toAuditEvent,
        (k) => deps.cursors.encode("audit", { w: p.workspaceId, ...filter }, k),
      );
    },

    async get(p: UserPrincipal, id: string) {
      const row = await repo.find(db, p.workspaceId, id);
      if (!row) throw notFound("Audit event");
      return toAuditEvent(row);
    },

    verify: (p: UserPrincipal) => verifyAuditChain(deps.database, p.workspaceId),

    /**
     * Streams every matching row, page by page (flat memory whatever the size). Two concurrent
     * exports per workspace on this replica; the export itself is audited.
     */
    async export(
      p: UserPrincipal,
      filter: AuditFilter,
      format: "csv" | "ndjson",
      requestId: string,
    ): Promise<Readable> {
      // csv-stringify is loaded on first use: exports are rare, start-up is not.
      const csv =
        format === "csv"
          ? (await import("csv-stringify")).stringify({ header: true, columns: CSV_COLUMNS })
          : undefined;
      if (filter.from && filter.to && Date.parse(filter.to) - Date.parse(filter.from) > MAX_EXPORT_SPAN_MS) {
        throw new AppError("VALIDATION_FAILED", "An export spans at most 366 days.", {
          details: { issues: [{ path: "to", message: "span over 366 days", code: "too_big" }] },
        });
      }
      const running = exportsRunning.get(p.workspaceId) ?? 0;
      if (running >= MAX_EXPORTS_PER_WORKSPACE) {
        throw new AppError("RATE_LIMITED", "Two exports are already running for this workspace.", {
          headers: { "retry-after": "10" },
          hint: "Wait for a running export to finish.",
        });
      }
      exportsRunning.set(p.workspaceId, running + 1);
      const release = () => exportsRunning.set(p.workspaceId, (exportsRunning.get(p.workspaceId) ?? 1) - 1);
      await deps.writer.record({
        workspaceId: p.workspaceId,
        occurredAt: deps.clock.now(),
        actorType: "user",
        actorId: p.userId,
        action: "audit.exported",
        outcome: "success",
        requestId,
        details: { format, filter: { ...filter } },
      });
      async function* pages() {
        let before: string | undefined;
        for (;;) {
          const rows = await repo.page(db, p.workspaceId, filter, EXPORT_PAGE, before);
          for (const row of rows) yield toAuditEvent(row);
          if (rows.length < EXPORT_PAGE) return;
          before = rows[rows.length - 1]?.id;
        }
      }
      let source: Readable;
      if (csv) {
        source = Readable.from(
          (async function* () {
            for await (const e of pages()) yield csvRecord(e);
          })(),
          { objectMode: true },
        ).pipe(csv);
      } else {
        source = Readable.from(
          (async function* () {
            for await (const e of pages()) yield `${JSON.stringify(e)}\n`;
          })(),
        );
      }
      source.once("close", release);
      source.once("error", release);
      return source;
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
