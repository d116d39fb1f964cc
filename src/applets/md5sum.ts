// md5sum: see checksum.ts.
import { checksumApplet } from './checksum.js';

export default checksumApplet({ applet: 'md5sum', hash: 'md5', tag: 'MD5', hexLength: 32 });
