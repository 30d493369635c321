/**
 * The pure policy engine (POLICY.md): no Fastify, no database, no I/O, no clock.
 *
 * - `compilePolicy(document)` validates a stored document once and precompiles it;
 * - `evaluateRequest(policy, request, context)` decides (§3);
 * - `filterResponse(policy, request, response, options)` filters a buffered body (§4), and
 *   `createResponseStreamFilter` an SSE / NDJSON stream;
 * - `requestFingerprint(request)` binds an approval to one exact request (§5);
 * - `isBlockedAddress` / `parseHostAsIp` are shared with the fetch guard (§6).
 *
 * `policy` may be a compiled policy or a raw stored document (validated and defaulted on the fly).
 */

export {
  type CompiledPolicy,
  type CompileResult,
  compilePolicy,
  isCompiledPolicy,
  PolicyValidationError,
  tryCompilePolicy,
} from "./compile.js";
export { evaluateRequest } from "./evaluate.js";
export {
  bodyKind,
  createResponseStreamFilter,
  DEFAULT_MAX_RESPONSE_BYTES,
  filterResponse,
} from "./filter.js";
export { canonicalJson, fingerprintMaterial, RequestUrlError, requestFingerprint } from "./fingerprint.js";
export { blockedRangeOf, isBlockedAddress, type ParsedIp, parseHostAsIp } from "./ip.js";
export { findPii, ibanValid, luhnValid, type PiiMatch, type PiiOptions, redactText } from "./pii.js";
export type { StreamChunkResult, StreamFilter } from "./stream-filter.js";
export type {
  ConnectionAuthType,
  FilterOptions,
  FilterRequest,
  PolicyContext,
  PolicyRequest,
  PolicyResponse,
  PolicyUsage,
  QueryInput,
} from "./types.js";
export { buildFinalUrl, type FinalUrl, type UrlResult } from "./url.js";
