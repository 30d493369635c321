export { agentAuthRoutes } from "./agent-auth.routes.js";
export { type AgentAuthService, createAgentAuthService } from "./agent-auth.service.js";
export { listAgentConnections } from "./agent-connections.js";
export { assertActsForAgent } from "./agent-ownership.js";
export { createAgentRepo } from "./agents.repo.js";
export { agentRoutes } from "./agents.routes.js";
export { type AgentService, createAgentService } from "./agents.service.js";
