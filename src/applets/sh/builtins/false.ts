// false: status 1.
import type { Builtin } from './index.js';

export default { run: () => 1 } satisfies Builtin;
