export { createApprovalRepo } from "./approvals.repo.js";
export { approvalRoutes } from "./approvals.routes.js";
export {
  type ApprovalService,
  type ChannelDecision,
  createApprovalService,
  type NewApproval,
  REDEEM_WINDOW_MS,
} from "./approvals.service.js";
