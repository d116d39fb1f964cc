// apk's error values: negative errno codes with apk-tools' own wording (apk_error_str), because
// `apk verify` prints the number and the repository warnings print the text.

export const ENOENT = 2;
export const EIO = 5;
export const EBADMSG = 74;
export const ENOMSG = 42;
export const ENOKEY = 126;
export const EKEYREJECTED = 129;
export const ECONNREFUSED = 111;
export const EAPKFORMAT = 1025;
export const EAPKSTALEINDEX = 1027;
export const ENOPKG = 65;

const TEXT: Record<number, string> = {
  [ENOENT]: 'No such file or directory',
  [EIO]: 'IO ERROR',
  [EBADMSG]: 'BAD archive',
  [ENOMSG]: 'archive does not contain expected data',
  [ENOKEY]: 'UNTRUSTED signature',
  [EKEYREJECTED]: 'BAD signature',
  [ECONNREFUSED]: 'could not connect to server (check repositories file)',
  [EAPKFORMAT]: 'package file format error',
  [EAPKSTALEINDEX]: "package mentioned in index not found (try 'apk update')",
  [ENOPKG]: "could not find a repo which provides this package (check repositories file and run 'apk update')",
};

/** A failure carrying apk's error number (positive here; printed negated where apk prints it). */
export class ApkError extends Error {
  constructor(
    readonly errno: number,
    message?: string,
  ) {
    super(message ?? TEXT[errno] ?? `error ${errno}`);
    this.name = 'ApkError';
  }
}

export function apkErrorText(errno: number): string {
  return TEXT[errno] ?? `error ${errno}`;
}
