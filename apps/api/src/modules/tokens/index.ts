export { patRoutes } from "./pats.routes.js";
export { createPatService, type PatService } from "./pats.service.js";
