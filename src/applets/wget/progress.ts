// BusyBox's progress meter (libbb/progress.c, as 1.35 prints it, measured):
//   NAME(20 columns)  NN% |*****     | SIZE  H:MM:SS ETA     (SIZE: 12345, 98.5k, 1205M …)
// On a terminal the line is redrawn in place (\r) about once a second and ended by a newline after
// the last update; elsewhere each update is a line of its own, once a second, plus the last one.
// Without a known total the percentage and bar are left out and the ETA is `--:--:--`; after five
// seconds without data it says `- stalled -`.
import { displayWidth, toUtf8 } from '../../core/bytes.js';

/** Seconds without data before the meter says the transfer stalled. */
const STALL_SECONDS = 5;

export interface ProgressOptions {
  /** Where lines go (a terminal or not decides the form). */
  write(text: string): void;
  tty: boolean;
  /** Terminal width (BusyBox assumes 80 when it cannot tell). */
  columns: number;
  /** The name shown: the output file's last path component, `-` for standard output. */
  name: string;
  /** Bytes already there before this transfer (-c), counted in the size and percentage. */
  begin: number;
  /** The whole size when known (begin included). */
  total: number | undefined;
  /** Monotonic seconds (injected by tests). */
  now?: () => number;
}

export class ProgressMeter {
  private readonly now: () => number;
  private readonly start: number;
  private startSec: number;
  private lastUpdateSec: number;
  private lastChangeSec: number;
  private lastSize = 0;
  private transferred = 0;
  /** The transferred count of the last line drawn (the last update is not drawn twice). */
  private drawn = -1;
  private readonly label: string;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly o: ProgressOptions) {
    this.now = o.now ?? (() => performance.now() / 1000);
    this.start = Math.floor(this.now());
    this.startSec = this.start;
    this.lastUpdateSec = this.start;
    this.lastChangeSec = this.start;
    this.label = fit(o.name, 20);
    // Redraw once a second even when no data comes (that is how a stall shows).
    this.ticker = setInterval(() => this.update(this.transferred), 1000);
    this.ticker.unref?.();
  }

  /** Bytes of this transfer so far; draws at most once a second (and always the last update). */
  update(transferred: number, force = false): void {
    this.transferred = transferred;
    const nowSec = Math.floor(this.now());
    const total = this.o.total;
    const complete = total !== undefined && total > 0 && this.o.begin + transferred >= total;
    if (!force && !complete && nowSec === this.lastUpdateSec) return;
    this.lastUpdateSec = nowSec;
    this.drawn = transferred;
    this.o.write(this.line(transferred, nowSec));
  }

  /** The last update, and the end of the line on a terminal. */
  finish(transferred: number): void {
    this.stop();
    if (this.drawn !== transferred) this.update(transferred, true);

    if (this.o.tty) this.o.write('\n');
  }

  /** A failed transfer: the line stays as it was, ended on a terminal. */
  abort(): void {
    this.stop();
    if (this.o.tty && this.drawn >= 0) this.o.write('\n');
  }

  /** Stop the once-a-second redraw. */
  stop(): void {

    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private line(transferred: number, nowSec: number): string {
    const { begin, tty, columns } = this.o;
    const total = this.o.total && this.o.total > 0 ? this.o.total : undefined;
    const done = begin + transferred;
    let text = (tty ? '\r' : '') + this.label;
    if (total !== undefined) {
      const ratio = Math.min(100, Math.floor((100 * done) / total));
      text += `${String(ratio).padStart(4)}%`;
      const barLength = Math.min(columns - 48, 999);
      if (barLength > 0) {
        const stars = Math.min(barLength, Math.floor((barLength * done) / total));
        text += ` |${'*'.repeat(stars)}${' '.repeat(barLength - stars)}|`;
      }
    }
    text += ` ${compactSize(done)} `;

    let sinceChange = nowSec - this.lastChangeSec;
    if (transferred !== this.lastSize) {
      this.lastChangeSec = nowSec;
      this.lastSize = transferred;
      if (sinceChange >= STALL_SECONDS) this.startSec += sinceChange; // a stall does not count
      sinceChange = 0;
    }
    const elapsed = nowSec - this.startSec;
    if (sinceChange >= STALL_SECONDS) text += ' - stalled -';
    else if (total === undefined || transferred <= 0 || elapsed < 0) text += '--:--:-- ETA';
    else {
      const toDownload = total - begin;
      let eta = elapsed > 0 ? Math.max(0, Math.floor((toDownload * elapsed) / transferred) - elapsed) : 0;
      eta = Math.min(eta, 1000 * 3600 - 1);
      const secs = eta % 3600;
      text += `${String(Math.floor(eta / 3600)).padStart(2)}:${pad2(Math.floor(secs / 60))}:${pad2(secs % 60)} ETA`;
    }
    return tty ? text : `${text}\n`;
  }
}

/** Five columns for a byte count, as BusyBox's smart_ulltoa5: `12345`, then ` 585k`, `98.5k`, `1205M`. */
export function compactSize(bytes: number): string {
  if (bytes <= 99999) return String(bytes).padStart(5);
  let tenths = bytes * 10;
  let scale = 0;
  do {
    tenths = Math.floor(tenths / 1024);
    scale++;
  } while (tenths >= 100000);
  const units = Math.floor(tenths / 10);
  const unit = ' kMGTPEZY'[scale];
  if (units >= 100) return `${String(units).padStart(4)}${unit}`;
  return `${String(units).padStart(2)}.${tenths % 10}${unit}`;
}

function pad2(n: number): string {

  return n < 10 ? `0${n}` : String(n);
}

/** The name cut or padded to `width` display columns (UTF-8 names count what they show). */
function fit(name: string, width: number): string {
  if (displayWidth(name) <= width) return name + ' '.repeat(width - displayWidth(name));
  let out = '';
  for (const ch of toUtf8(name)) {
    const next = out + ch;
    if (displayWidth(Buffer.from(next, 'utf8').toString('latin1')) > width) break;
    out = next;
  }
  const bytes = Buffer.from(out, 'utf8').toString('latin1');
  return bytes + ' '.repeat(width - displayWidth(bytes));
}
