// Time intervals as GNU sleep and timeout read them: a C floating-point number (decimal, hex,
// `inf`) and an optional s/m/h/d suffix; and waiting for one without blocking the process.

const NUMBER = /^\s*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|inf(?:inity)?|nan))([smhd]?)$/i;
const UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in `text` (`1.5`, `2m`, `0x1p-4`, `inf`), or undefined if it is not a valid, non-negative interval. */
export function parseDuration(text: string): number | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const value = parseCNumber(m[1]!) * UNIT[m[2]!.toLowerCase()]!;
  return Number.isNaN(value) || value < 0 ? undefined : value;
}

function parseCNumber(s: string): number {
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[+-]/, '');
  if (/^inf/i.test(body)) return sign * Infinity;
  if (/^nan$/i.test(body)) return NaN;
  if (!/^0x/i.test(body)) return sign * Number(body.endsWith('.') ? body.slice(0, -1) : body);
  // hexadecimal floating point: 0xH.HHHpE
  const [mantissa, exp = '0'] = body.slice(2).split(/[pP]/) as [string, string?];
  const [int = '', frac = ''] = mantissa.split('.');
  let value = int ? parseInt(int, 16) : 0;
  for (let i = 0; i < frac.length; i++) value += parseInt(frac[i]!, 16) / 16 ** (i + 1);
  return sign * value * 2 ** Number(exp);
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Wait `seconds` (Infinity: until aborted). Resolves false when `signal` aborted it first. */
export function waitFor(seconds: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    let timer: NodeJS.Timeout | undefined;
    const end = Date.now() + seconds * 1000;
    const onAbort = () => {
      if (timer) clearTimeout(timer);
      resolve(false);
    };
    const arm = () => {
      const left = end - Date.now();
      if (left <= 0 && Number.isFinite(seconds)) {
        signal.removeEventListener('abort', onAbort);
        return resolve(true);
      }
      // long waits in steps that a timer can take
      timer = setTimeout(arm, Number.isFinite(left) ? Math.min(left, MAX_TIMER_MS) : MAX_TIMER_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}
