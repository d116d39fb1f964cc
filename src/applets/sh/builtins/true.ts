// true: status 0.
import type { Builtin } from './index.js';

export default { run: () => 0 } satisfies Builtin;
