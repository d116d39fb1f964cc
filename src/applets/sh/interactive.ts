// placeholder
import type { Ctx } from '../../core/context.js';
import type { Shell } from './shell.js';
export async function interact(sh: Shell, ctx: Ctx, login: boolean): Promise<number> {
  void sh; void ctx; void login;
  return 0;
}
