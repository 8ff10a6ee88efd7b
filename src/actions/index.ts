/**
 * Actions: what Lapwing asks the platform to do (hold, block, remove or
 * release content; suspend, unsuspend or safeguard an account), stored once
 * per idempotency key in a feed, delivered as HMAC-signed webhooks at least
 * once, and readable by polling. docs/actions.md is the platform's guide.
 *
 * @packageDocumentation
 */
export { actionKinds, targetTypes, reversalOf, platformViewer, redactAction, restrictedReason, type ActionViewer, type Action, type ActionKind, type ActionRequest, type ActionTarget, type TargetType } from "./types.js";
export { createActionService, webhookQueueName, toAction, actionAuditRecord, type ActionService, type ActionServiceOptions, type ActionJobQueue } from "./service.js";
export { createActionRepository, type ActionRepository } from "./repository.js";
export { signWebhook, verifyWebhook, signatureHeader, defaultToleranceSeconds } from "./signing.js";
export { createWebhookDelivery, startWebhookWorker, type WebhookSettings } from "./delivery.js";
export type { ActionTables } from "./tables.js";
