// sha384sum: see checksum.ts.
import { checksumApplet } from './checksum.js';

export default checksumApplet({ applet: 'sha384sum', hash: 'sha384', tag: 'SHA384', hexLength: 96 });
