// Traps. A trapped signal sent to the process is caught through the host (the shell does not die)
// and queued; the interpreter runs queued traps between commands, after whatever it was waiting
// for (as dash does, a running foreground program is not interrupted by the trap itself). Signals
// sent by the shell's own `kill` to an in-process job are queued on that job's shell the same way.
import { KillRequest, signalName, signalNumber } from '../../core/process.js';
import { ShellExit } from './errors.js';
import { evalText } from './interp.js';
import type { Shell } from './shell.js';

/** Signals with no default action worth taking for an in-process job. */
const HARMLESS = new Set([17, 18, 19, 20, 21, 22, 23, 28]); // CHLD CONT STOP TSTP TTIN TTOU URG WINCH

/** `EXIT`, `0`, `INT`, `SIGINT`, `2` → number (0 for EXIT); undefined if not a signal. */
export function trapNumber(spec: string): number | undefined {
  const upper = spec.toUpperCase();
  if (upper === 'EXIT' || upper === 'SIGEXIT' || spec === '0') return 0;
  const n = signalNumber(spec);
  return n !== undefined && n >= 1 && n <= 31 ? n : undefined;
}

export function trapName(n: number): string {
  return n === 0 ? 'EXIT' : (signalName(n) ?? String(n));
}

/** Set (action string), ignore ('') or reset (undefined) a trap. */
export function setTrap(sh: Shell, sig: number, action: string | undefined): void {
  sh.traps[sig] = action;
  sh.trapsShown = undefined;
  if (sig === 0 || !sh.ownsSignals) return;
  // SIGUSR1 stays caught from the start (see createShell)
  const unsubscribe = sh.signalSubs.get(sig);
  if (action === undefined && !sh.interactiveSignal(sig) && sig !== 10) {
    unsubscribe?.();
    sh.signalSubs.delete(sig);
    return;
  }
  if (unsubscribe) return;
  const name = `SIG${signalName(sig)}` as NodeJS.Signals;
  try {
    sh.signalSubs.set(sig, sh.host.onSignal(name, () => sh.signalArrived(sig)));
  } catch {
    // a signal the runtime cannot catch (KILL, STOP): the trap is recorded and never runs
  }
}

/** A signal for a shell that does not own the process (one run in-process by another applet, such
 *  as timeout, or in a test): its trap runs, it is ignored, or it stops the shell as it would
 *  end a process. `sh` is the top-level shell. */
export function deliverSignal(sh: Shell, sig: number): void {
  const action = sig === 9 || sig === 19 ? undefined : sh.traps[sig];
  if (action === '') return;
  if (action !== undefined) return sh.queueTrap(sig);
  if (HARMLESS.has(sig)) return;
  sh.io.runtime.stop?.abort(new KillRequest(sig));
}

/** Run the traps of signals that arrived. */
export async function runTraps(sh: Shell): Promise<void> {
  while (sh.pendingTraps.length) {
    const sig = sh.pendingTraps.shift()!;
    const action = sh.traps[sig];
    if (action === '') continue;
    if (action === undefined) {
      if (sh.onDefaultSignal(sig)) continue;
      if (HARMLESS.has(sig)) continue;
      throw new ShellExit(128 + sig);
    }
    const status = sh.status;
    const outer = sh.trapEntryStatus;
    sh.trapEntryStatus = status;
    try {
      await evalText(sh, action, 'trap');
    } finally {
      sh.trapEntryStatus = outer;
      if (!sh.exiting) sh.status = status;
    }
  }
}

/** The EXIT trap, when the shell ends with `status`: its final status (an `exit` in it wins). */
export async function runExitTrap(sh: Shell, status: number): Promise<number> {
  const action = sh.traps[0];
  if (!action) return status;
  sh.traps[0] = undefined;
  sh.status = status;
  sh.trapEntryStatus = status;
  try {
    await evalText(sh, action, 'trap');
  } catch (err) {
    if (err instanceof ShellExit) return err.status;
    throw err;
  }
  return status;
}
