export { limitPlugins, requestLimits } from "./http-limits";
export { DocumentLimits } from "./document-limits";
export { defaultLimits, limitsFromEnv, parseServerMode, resolveLimits } from "./limits.config";
export type { LimitsConfig, ServerMode } from "./limits.config";
export { LimitCodes, sendRejection } from "./rejection";
export type { LimitCode, LimitViolation } from "./rejection";
