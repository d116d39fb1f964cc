// `:` does nothing, successfully (its arguments are still expanded).
import type { Builtin } from './index.js';

export default { special: true, run: () => 0 } satisfies Builtin;
