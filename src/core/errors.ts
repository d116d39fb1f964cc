// Errors are values with a status, reported once, on one line, by one helper (Ctx.warn / runApplet).

/** A failure the applet reports as `applet: message` and ends with `status`. */
export class AppletError extends Error {
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
    this.name = 'AppletError';
  }
}

/** Bad command line: reported with the applet's usage hint, in the applet's reference style. */
export class UsageError extends AppletError {
  constructor(message: string, status?: number) {
    super(message, status ?? -1); // -1: the declaration's usageStatus decides
    this.name = 'UsageError';
  }
}

/** A write to a pipe whose reader has gone. Quiet; the status is 141 (128 + SIGPIPE). */
export class BrokenPipe extends Error {
  readonly status = 141;
  constructor() {
    super('Broken pipe');
    this.name = 'BrokenPipe';
  }
}

/** Ends an applet early with a status and no message (e.g. `exit` in a nested helper). */
export class ExitStatus extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
    this.name = 'ExitStatus';
  }
}

export const STATUS_NOT_EXECUTABLE = 126;
export const STATUS_NOT_FOUND = 127;
export const STATUS_BROKEN_PIPE = 141;

// glibc's strerror() texts, so messages read exactly as the C tools print them.
const LIBC_TEXT: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long',
  ENOEXEC: 'Exec format error',
  EBADF: 'Bad file descriptor',
  ECHILD: 'No child processes',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ENOTTY: 'Inappropriate ioctl for device',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  ESPIPE: 'Illegal seek',
  EROFS: 'Read-only file system',
  EMLINK: 'Too many links',
  EPIPE: 'Broken pipe',
  ERANGE: 'Numerical result out of range',
  EDEADLK: 'Resource deadlock avoided',
  ENAMETOOLONG: 'File name too long',
  ENOLCK: 'No locks available',
  ENOSYS: 'Function not implemented',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  ENODATA: 'No data available',
  EOVERFLOW: 'Value too large for defined data type',
  EILSEQ: 'Invalid or incomplete multibyte or wide character',
  ENOTSOCK: 'Socket operation on non-socket',
  EPROTO: 'Protocol error',
  EOPNOTSUPP: 'Operation not supported',
  ENOTSUP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETDOWN: 'Network is down',
  ENETUNREACH: 'Network is unreachable',
  ECONNABORTED: 'Software caused connection abort',
  ECONNRESET: 'Connection reset by peer',
  ENOBUFS: 'No buffer space available',
  ENOTCONN: 'Transport endpoint is not connected',
  ETIMEDOUT: 'Connection timed out',
  ECONNREFUSED: 'Connection refused',
  EHOSTDOWN: 'Host is down',
  EHOSTUNREACH: 'No route to host',
  EALREADY: 'Operation already in progress',
  EINPROGRESS: 'Operation now in progress',
  EDQUOT: 'Disk quota exceeded',
  ECANCELED: 'Operation canceled',
  // getaddrinfo() failures, as gai_strerror() words them
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
  EAI_FAIL: 'Non-recoverable failure in name resolution',
};

/** The libc text for a system error code (`ENOENT` → `No such file or directory`). */
export function strerror(code: string): string {
  return LIBC_TEXT[code] ?? code;
}

/** The error code of a Node system error, if it is one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What to print for an error: libc text for system errors, the message otherwise. */
export function errorText(err: unknown): string {
  if (err instanceof AppletError) return err.message;
  const code = errorCode(err);
  if (code && (code in LIBC_TEXT || /^E[A-Z0-9]+$/.test(code))) return strerror(code);
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The status an error ends an applet with. */
export function errorStatus(err: unknown): number {
  if (err instanceof AppletError && err.status >= 0) return err.status;
  if (err instanceof BrokenPipe || err instanceof ExitStatus) return err.status;
  return 1;
}

/** True for errors that are bugs (TypeError …), not conditions the applet reports. */
export function isInternalError(err: unknown): boolean {
  if (err instanceof AppletError || err instanceof BrokenPipe || err instanceof ExitStatus) return false;
  return errorCode(err) === undefined;
}
