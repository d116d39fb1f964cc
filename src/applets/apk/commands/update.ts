// apk update: refresh stale remote indexes and report what each repository holds.
import type { Apk } from '../context.js';

export async function update(apk: Apk): Promise<number> {
  const db = await apk.open({ repos: true, write: true });
  const stats = db.repoStats;
  if (apk.verbosity < 1) return stats.unavailable + stats.stale;
  for (const repo of db.repos) {
    if (!repo.loaded || !repo.description) continue;
    apk.msg(`${repo.description} [${repo.url}]`);
  }
  const head = stats.unavailable || stats.stale ? `${stats.unavailable} unavailable, ${stats.stale} stale;` : 'OK:';
  apk.msg(`${head} ${db.packages.length} distinct packages available`);
  return stats.unavailable + stats.stale;
}
