/*
 * The Pod Security Standards "restricted" profile, checked on every pod template we emit.
 */

const POD_KINDS: Record<string, (o: any) => any> = {
  Deployment: (o) => o.spec?.template?.spec,
  StatefulSet: (o) => o.spec?.template?.spec,
  DaemonSet: (o) => o.spec?.template?.spec,
  Job: (o) => o.spec?.template?.spec,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template?.spec,
  Pod: (o) => o.spec,
};

/** Violations of the "restricted" profile by every pod template among `objects`. */
export function restrictedViolations(objects: readonly any[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const spec = POD_KINDS[o.kind]?.(o);
    if (!spec) continue;
    const where = `${o.kind}/${o.metadata.name}`;
    const pod = spec.securityContext ?? {};
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push(`${where}: uses host namespaces`);
    for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`${where}: hostPath volume ${v.name}`);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const sc = c.securityContext ?? {};
      const at = `${where} container ${c.name}`;
      if (sc.privileged) out.push(`${at}: privileged`);
      if (sc.allowPrivilegeEscalation !== false) out.push(`${at}: allowPrivilegeEscalation must be false`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${at}: must drop ALL capabilities`);
      for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${at}: adds capability ${cap}`);
      if (!(sc.runAsNonRoot ?? pod.runAsNonRoot)) out.push(`${at}: runAsNonRoot must be true`);
      if ((sc.runAsUser ?? pod.runAsUser) === 0) out.push(`${at}: runs as uid 0`);
      const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${at}: seccompProfile must be RuntimeDefault or Localhost`);
    }
  }
  return out;
}
