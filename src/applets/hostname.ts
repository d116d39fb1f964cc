// hostname as BusyBox has it: print the host name (-s short, -f canonical, -d domain, -i
// addresses, resolved through /etc/hosts, then DNS), or set it from an operand or -F FILE
// (through /proc/sys/kernel/hostname: Node has no sethostname(2); refused without privilege).
import * as fs from 'node:fs';
import * as os from 'node:os';
import { defineApplet } from '../core/applet.js';
import { fromUtf8, fsPath } from '../core/bytes.js';
import { AppletError, errorText } from '../core/errors.js';

interface Resolved {
  canonical: string;
  addresses: string[];
}

/** gethostbyname(3), files first: the first /etc/hosts line naming `name` gives the canonical
 *  name; every IPv4 line naming it an address. Then DNS. */
async function resolve(name: string): Promise<Resolved | undefined> {
  let canonical: string | undefined;
  const addresses: string[] = [];
  try {
    for (const raw of fs.readFileSync('/etc/hosts', 'latin1').split('\n')) {
      const fields = raw.replace(/#.*/, '').trim().split(/\s+/);
      if (fields.length < 2 || !fields.slice(1).includes(name) || fields[0]!.includes(':')) continue;
      canonical ??= fields[1]!;
      if (!addresses.includes(fields[0]!)) addresses.push(fields[0]!);
    }
  } catch {
    // no hosts file
  }
  if (canonical !== undefined) return { canonical, addresses };
  try {
    const dns = await import('node:dns');
    const found = await dns.promises.lookup(name, { all: true, family: 4 });
    return { canonical: name, addresses: found.map((a) => a.address) };
  } catch {
    return undefined;
  }
}

export default defineApplet({
  name: 'hostname',
  summary: 'Show or set hostname or DNS domain name',
  usage: 'hostname [-sidf] [HOSTNAME | -F FILE]',
  help: '-s\tShort\n-i\tAddresses for the hostname\n-d\tDNS domain name\n-f\tFully qualified domain name\n-F FILE\tUse FILE\'s content as hostname',
  style: 'busybox',
  options: { s: {}, i: {}, d: {}, f: {}, F: { arg: 'string' } },
  async run(ctx) {
    const { opts, operands } = ctx;
    const current = fromUtf8(os.hostname());
    if (opts.d || opts.f || opts.i) {
      const r = await resolve(current);
      if (!r) throw new AppletError(`${current}: Unknown host`);
      const dot = r.canonical.indexOf('.');
      if (opts.f) await ctx.stdout.write(`${r.canonical}\n`);
      else if (opts.s) await ctx.stdout.write(`${dot === -1 ? r.canonical : r.canonical.slice(0, dot)}\n`);
      else if (opts.d) {
        if (dot !== -1) await ctx.stdout.write(`${r.canonical.slice(dot + 1)}\n`);
      } else await ctx.stdout.write(`${r.addresses.join(' ')}\n`);
      return 0;
    }
    if (opts.s) {
      const dot = current.indexOf('.');
      await ctx.stdout.write(`${dot === -1 ? current : current.slice(0, dot)}\n`);
      return 0;
    }
    let name: string | undefined;
    if (opts.F !== undefined) {
      let text: string;
      try {
        text = fs.readFileSync(fsPath(ctx.path(opts.F)), 'latin1');
      } catch (err) {
        throw new AppletError(`can't open '${opts.F}': ${errorText(err)}`);
      }
      name = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? '';
    } else name = operands[0];
    if (name === undefined) {
      await ctx.stdout.write(`${current}\n`);
      return 0;
    }
    try {
      if (name.length > 64) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
      fs.writeFileSync('/proc/sys/kernel/hostname', Buffer.from(name, 'latin1'));
    } catch (err) {
      const code = (err as { code?: string }).code;
      // writing the proc file fails with EACCES where sethostname(2) says EPERM
      throw new AppletError(`sethostname: ${errorText(code === 'EACCES' || code === 'EROFS' ? { code: 'EPERM' } : err)}`);
    }
    return 0;
  },
});
