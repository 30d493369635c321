export { approvalRoutes } from "./approvals.routes.js";
export {
  type ApprovalService,
  createApprovalService,
  type NewApproval,
  REDEEM_WINDOW_MS,
} from "./approvals.service.js";
