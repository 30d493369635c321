export { keysRoutes } from "./keys.routes.js";
export {
  createSigningKeyService,
  MAX_JWT_TTL_SECONDS,
  type SigningKeyService,
  signingKeyAad,
} from "./signing-keys.service.js";
