// sha224sum: see checksum.ts.
import { checksumApplet } from './checksum.js';

export default checksumApplet({ applet: 'sha224sum', hash: 'sha224', tag: 'SHA224', hexLength: 56 });
