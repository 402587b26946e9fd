/*
 * Before changing a cluster's `version`: what the upgrade changes. Prints the report of
 * ToolHive 0.44.0 -> 0.66.0 (CRD versions, fields, list merge keys, chart values, RBAC, and
 * whether stored objects need migrating).
 *
 *   npx ts-node examples/upgrade-report/main.ts [from] [to]
 */
import { upgradeReport, upgradeReportText } from 'toolhive-constructs';

/** The report's text for `from` -> `to`. */
export function reportText(from = '0.44.0', to = '0.66.0'): string {
  return upgradeReportText(upgradeReport(from, to), { maxItems: 10 });
}

if (require.main === module) {
  process.stdout.write(reportText(process.argv[2], process.argv[3]));
}
