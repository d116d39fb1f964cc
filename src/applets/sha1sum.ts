// sha1sum: see checksum.ts.
import { checksumApplet } from './checksum.js';

export default checksumApplet({ applet: 'sha1sum', hash: 'sha1', tag: 'SHA1', hexLength: 40 });
