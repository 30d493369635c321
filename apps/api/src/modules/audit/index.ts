export { type AuditInsert, insertAuditEvent } from "./audit.repo.js";
