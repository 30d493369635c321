export { policyRoutes } from "./policies.routes.js";
export {
  type BoundPolicy,
  compileOrReject,
  createPolicyService,
  type PolicyService,
} from "./policies.service.js";
export { createPolicySimulator, type PolicySimulator } from "./simulate.js";
export {
  buildPresetDocument,
  createPolicyTemplateCatalog,
  getActionTemplate,
  type PolicyTemplateCatalog,
} from "./templates.js";
