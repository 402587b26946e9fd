import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';

/**
 * The enable flags of each example values file of the "Distributed deployments" seed page
 * (../shared/seeds/000_*.txt), read from the page itself. The page's text lost its indentation,
 * so each file is read as `<flag>:` / `enabled: <bool>` pairs after the file's name.
 */
export function seedValuesFlags(): Map<string, Record<string, boolean>> | undefined {
  const dir = path.resolve(REPO_ROOT, '..', 'shared', 'seeds');
  const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith('000_')) : undefined;
  if (!file) {
    if (process.env.CI) throw new Error('the seed page is missing: CI runs with ../shared beside the checkout');
    return undefined;
  }
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n').map((l) => l.trim());
  const out = new Map<string, Record<string, boolean>>();
  lines.forEach((line, i) => {
    if (!/^[a-z-]+-values\.yaml$/.test(line)) return;
    const flags: Record<string, boolean> = {};
    for (let j = i + 1; j + 1 < lines.length; j += 2) {
      const flag = /^([A-Za-z]+):$/.exec(lines[j]);
      const value = /^enabled: (true|false)$/.exec(lines[j + 1]);
      if (!flag || !value) break;
      flags[flag[1]] = value[1] === 'true';
    }
    out.set(line, flags);
  });
  return out;
}
