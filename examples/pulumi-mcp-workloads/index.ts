/*
 * A workload cluster running a team's MCP servers (the same resources as the cdk8s example):
 * the ToolHive operator in namespace mode, then a group of MCP servers with a tool config and
 * an external auth config, aggregated by a VirtualMCPServer, each a CustomResource.
 */
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { teamWorkloads } from '../cdk8s-mcp-workloads/workloads';
import { RbacMode } from 'toolhive-constructs';
import { ToolhiveOperator } from 'toolhive-constructs/pulumi';

const config = new pulumi.Config();
const provider = new kubernetes.Provider('research', { kubeconfig: config.requireSecret('kubeconfig'), enableServerSideApply: true });

// `pulumi config set rbacScope cluster` moves the operator to cluster scope; `pulumi up`
// replaces the per-namespace Roles with the ClusterRoleBindings (and back again).
const scope = (config.get('rbacScope') ?? 'namespace') as RbacMode;

export const toolhive = new ToolhiveOperator('research', {
  provider,
  rbac: scope === 'namespace' ? { scope, allowedNamespaces: ['research'] } : { scope },
  customResources: teamWorkloads('research'),
});

export const namespace = toolhive.namespace;
