/**
 * AWS's common errors: not part of the Backup model, and answerable by any operation (AWS API
 * reference, "Common Errors"). The domain throws them where the service does (a vault access
 * policy that denies the caller); the edge also uses them for protocol failures.
 */
export class CommonError extends Error {
  constructor(
    override readonly name: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The caller is not allowed to perform the action (403). */
export const accessDenied = (message: string) => new CommonError("AccessDeniedException", 403, message);
