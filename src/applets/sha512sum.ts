// sha512sum: see checksum.ts.
import { checksumApplet } from './checksum.js';

export default checksumApplet({ applet: 'sha512sum', hash: 'sha512', tag: 'SHA512', hexLength: 128 });
