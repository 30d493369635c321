export { hmacSha256, sha256, timingSafeEqualBytes, timingSafeEqualString } from "./compare.js";
export {
  createEnvelopeEncryptor,
  type EncryptedEnvelopeV1,
  type EnvelopeEncryptor,
  type EnvelopeEncryptorOptions,
  type EnvelopeMode,
  isEncryptedEnvelopeV1,
  parseEnvelope,
} from "./envelope.js";
export { isSecurityError, SecurityError, type SecurityErrorCode } from "./errors.js";
export {
  createKeyRing,
  decodeKey,
  encodeKey,
  generateKey,
  KEY_BYTES,
  type KeyEntry,
  type KeyRing,
  type KeyStatus,
  parseKeyRingConfig,
} from "./key-ring.js";
export {
  generateToken,
  hashToken,
  type ParsedToken,
  parseToken,
  type TokenPrefix,
  tokenDisplayPrefix,
  verifyTokenHash,
} from "./tokens.js";
