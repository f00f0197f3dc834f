/** Per document (each archive member on its own): a reader that takes longer is ended, and the record says TIMEOUT. */
export const DEFAULT_TIMEOUT_MS = 20_000;
