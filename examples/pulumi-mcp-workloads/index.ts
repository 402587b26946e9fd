/*
 * A workload cluster running a team's MCP servers (the same resources as the cdk8s example):
 * the ToolHive operator in namespace mode, then a group of MCP servers with a tool config and
 * an external auth config, aggregated by a VirtualMCPServer, each a CustomResource.
 */
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { teamWorkloads } from '../cdk8s-mcp-workloads/workloads';
import { ToolhiveOperator } from 'toolhive-constructs/pulumi';

const config = new pulumi.Config();
const provider = new kubernetes.Provider('research', { kubeconfig: config.requireSecret('kubeconfig'), enableServerSideApply: true });

export const toolhive = new ToolhiveOperator('research', {
  provider,
  rbac: { scope: 'namespace', allowedNamespaces: ['research'] },
  customResources: teamWorkloads('research'),
});

export const namespace = toolhive.namespace;
