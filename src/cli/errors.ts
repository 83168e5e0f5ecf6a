/** An error the user can fix: printed as its message alone, no stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}
