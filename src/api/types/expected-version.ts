/**
 * Options of the `expectedVersion: Int` argument every workflow mutation takes: optional, and
 * when given, a different current version refuses the change instead of overwriting it.
 */
export const EXPECTED_VERSION_ARG = {
  nullable: true,
  description: "The version the client saw; a different current version is refused with VERSION_CONFLICT.",
} as const;
