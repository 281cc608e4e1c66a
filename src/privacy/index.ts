export { maskEmail, maskName, maskPhone, scrubText, type PersonalDataKind, type PersonalValues } from "./masking";
export { mayReadPersonalData, PERSONAL_DATA_ACCESS, PERSONAL_DATA_READERS } from "./policy";
export { allowEcho, PersonalData, PersonalText, personalDataKindOf, PERSONAL_DATA_EXTENSION } from "./personal-data";
export { refuseUnlessPersonalDataReader } from "./filtering";
export { PERSONAL_DATA_LOG_PATHS, scrubLogText } from "./log-redaction";
export { CustomerAliases } from "./aliases";
export { customerLabel } from "./masking";
