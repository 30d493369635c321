export { type AuditInsert, auditUserAction, insertAuditEvent } from "./audit.repo.js";
export { auditRoutes } from "./audit.routes.js";
export { type AuditService, createAuditService } from "./audit.service.js";
export { purgeExpiredAudit } from "./audit-retention.js";
export { sealAuditBacklog, sealAuditBatch, verifyAuditChain } from "./audit-sealer.js";
export { type AuditWriter, createAuditWriter } from "./audit-writer.js";
