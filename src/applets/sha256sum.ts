// sha256sum: see checksum.ts.
import { checksumApplet } from './checksum.js';

export default checksumApplet({ applet: 'sha256sum', hash: 'sha256', tag: 'SHA256', hexLength: 64 });
