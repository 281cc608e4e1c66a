/**
 * A problem with the import as a whole (a missing file, a bad mapping, a header row that lacks a
 * required column, a malformed CSV): the import stops and says why. Problems with single rows are
 * never thrown; they go to the rejected-rows report and the import carries on.
 */
export class ImportError extends Error {
  override name = "ImportError";
}
