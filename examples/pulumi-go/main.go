// The ToolHive operator and a team's MCP servers on one cluster, from Go: the same program as
// examples/pulumi-python, with the Go SDK `pulumi package add` generates from the component
// package (in ./sdks/toolhive-constructs, which go.mod's replace names).
//
// `pulumi config set rbacScope cluster` moves the operator to cluster scope; `pulumi up` replaces
// the per-namespace RoleBindings with ClusterRoleBindings (and back again).
package main

import (
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	toolhive "toolhive-constructs.dev/sdk/go/toolhiveconstructs"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		conf := config.New(ctx, "")
		provider, err := kubernetes.NewProvider(ctx, "research", &kubernetes.ProviderArgs{
			Kubeconfig:            conf.RequireSecret("kubeconfig"),
			EnableServerSideApply: pulumi.Bool(true),
		})
		if err != nil {
			return err
		}

		team := "research"
		rbac := &toolhive.RbacScopeArgs{Scope: toolhive.RbacModeNamespace, AllowedNamespaces: []string{team}}
		if conf.Get("rbacScope") == "cluster" {
			rbac = &toolhive.RbacScopeArgs{Scope: toolhive.RbacModeCluster}
		}
		metadata := func(name string) toolhive.ToolhiveCustomResourceMetadataArgs {
			return toolhive.ToolhiveCustomResourceMetadataArgs{Name: name, Namespace: &team}
		}

		operator, err := toolhive.NewToolhiveOperator(ctx, team, &toolhive.ToolhiveOperatorArgs{
			Provider: provider,
			Rbac:     rbac,
			CustomResources: []toolhive.ToolhiveCustomResourceArgs{
				{
					ApiVersion: "toolhive.stacklok.dev/v1beta1",
					Kind:       "MCPGroup",
					Metadata:   metadata(team),
					Spec:       map[string]pulumi.Input{"description": pulumi.String("Research tools")},
				},
				{
					ApiVersion: "toolhive.stacklok.dev/v1beta1",
					Kind:       "MCPServer",
					Metadata:   metadata("fetch"),
					Spec: map[string]pulumi.Input{
						"image":     pulumi.String("ghcr.io/stackloklabs/gofetch/server:1.0.1"),
						"transport": pulumi.String("streamable-http"),
						"groupRef":  pulumi.StringMap{"name": pulumi.String(team)},
					},
				},
			},
		})
		if err != nil {
			return err
		}

		ctx.Export("namespace", operator.Namespace)
		ctx.Export("releaseNames", operator.ReleaseNames)
		return nil
	})
}
