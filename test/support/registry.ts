import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { REPO_ROOT } from './paths';

/** The Registry Server chart (toolhive-registry-server-v1.5.1/chart of TOOLHIVE_UPSTREAM_DIR, else ../shared/upstream). */
export function registryServerChartDir(): string {
  const roots = [process.env.TOOLHIVE_UPSTREAM_DIR, path.resolve(REPO_ROOT, '..', 'shared', 'upstream')].filter((x): x is string => !!x);
  const found = roots.map((r) => path.join(r, 'toolhive-registry-server-v1.5.1', 'chart')).find((d) => fs.existsSync(path.join(d, 'Chart.yaml')));
  if (!found) throw new Error(`the Registry Server chart (toolhive-registry-server-v1.5.1/chart) is not in ${roots.join(' or ')}: CI runs with ../shared beside the checkout`);
  return found;
}

/** The Registry Server release's upstream files (example configs, chart values), or undefined outside CI when absent. */
export function registryServerUpstream(): { exampleConfigs: Map<string, any>; chartValuesFile: string } | undefined {
  const roots = [process.env.TOOLHIVE_UPSTREAM_DIR, path.resolve(REPO_ROOT, '..', 'shared', 'upstream')].filter((x): x is string => !!x);
  for (const root of roots) {
    const dir = path.join(root, 'toolhive-registry-server-v1.5.1');
    if (fs.existsSync(path.join(dir, 'example-configs'))) {
      const exampleConfigs = new Map<string, any>();
      for (const f of fs.readdirSync(path.join(dir, 'example-configs')).sort()) {
        exampleConfigs.set(f, parse(fs.readFileSync(path.join(dir, 'example-configs', f), 'utf8')));
      }
      return { exampleConfigs, chartValuesFile: path.join(dir, 'chart-values.yaml') };
    }
  }
  if (process.env.CI) throw new Error('the Registry Server upstream data (toolhive-registry-server-v1.5.1) is missing: CI runs with ../shared beside the checkout');
  return undefined;
}
