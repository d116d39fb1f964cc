// The shell's descriptor table holds ShellFiles: what fd N refers to. A ShellFile may be a real
// descriptor (a file opened by a redirection, or one inherited from the caller), an end of an
// in-memory pipe between two pipeline stages, a command substitution's buffer or a here-document.
// Subshells share files with their parent (reference counts), as forked processes share
// descriptions; the last holder releases it.
import * as fs from 'node:fs';
import { FdSink, FdSource, type ByteSink, type ByteSource } from '../../core/io.js';

export class ShellFile {
  private refs = 1;
  constructor(
    readonly source: ByteSource | undefined,
    readonly sink: ByteSink | undefined,
    private readonly onRelease?: () => void,
  ) {}

  /** The real descriptor behind this file, if there is one (handed to spawned programs as is). */
  get fd(): number | undefined {
    return this.source?.fd ?? this.sink?.fd;
  }

  /** Another holder (a subshell's table, a dup `2>&1`). */
  share(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs === 0) this.onRelease?.();
  }

  /** Write: synchronously when the sink has room, else a promise for when it is written. */
  write(text: string): Promise<void> | undefined {
    const sink = this.sink!;
    return sink.put ? sink.put(text) : sink.write(text);
  }
}

/** A file the shell opened (a redirection): the descriptor is closed with the last holder. */
export function openedFile(fd: number, readable: boolean, writable: boolean): ShellFile {
  return new ShellFile(readable ? new FdSource(fd) : undefined, writable ? new FdSink(fd) : undefined, () => {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
  });
}

/** A stream someone else owns (the caller's stdio): never closed by us. */
export function borrowedFile(source?: ByteSource, sink?: ByteSink): ShellFile {
  return new ShellFile(source, sink);
}

/** The reading end of a pipe: when released, the writer sees a broken pipe. */
export function pipeReader(source: ByteSource): ShellFile {
  return new ShellFile(source, undefined, () => source.close());
}

/** The writing end of a pipe: when released, the reader sees end of input. */
export function pipeWriter(sink: ByteSink): ShellFile {
  return new ShellFile(undefined, sink, () => void sink.close());
}

