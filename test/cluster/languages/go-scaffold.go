// Test scaffolding, never part of a user's program (test/cluster/pulumi-languages.cluster.ts).
//
// With no kubelet, scheduler or controller-manager behind the test API servers, Deployments never
// become ready and foreground deletes never finish: every Kubernetes object but the CRDs gets
// `pulumi.com/skipAwait: "true"` and `pulumi.com/deletionPropagationPolicy: background` (the same
// transform as the TypeScript and Python harnesses'), registered as a stack transform before the
// program's first resource (the suite adds the call to scaffold as the first line of the
// program's pulumi.Run body). A stack transform reaches the objects the component package's
// plugin creates.
package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func scaffold(ctx *pulumi.Context) error {
	return ctx.RegisterResourceTransform(func(_ context.Context, args *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
		kind := args.Type
		props := pulumi.Map{}
		for k, v := range args.Props {
			props[k] = v
		}
		if kind == "kubernetes:helm.sh/v3:Release" {
			props["skipAwait"] = pulumi.Bool(true)
			return &pulumi.ResourceTransformResult{Props: props, Opts: args.Opts}
		}
		object := strings.HasPrefix(kind, "kubernetes:") && !strings.HasPrefix(kind, "kubernetes:yaml") && !strings.HasPrefix(kind, "kubernetes:helm")
		if !object || kind == "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" {
			return nil
		}
		metadata := pulumi.Map{}
		if m, ok := props["metadata"]; ok {
			existing, ok := m.(pulumi.Map)
			if !ok {
				panic(fmt.Sprintf("scaffold: the metadata of %s %s is a %T, not a pulumi.Map", kind, args.Name, m))
			}
			for k, v := range existing {
				metadata[k] = v
			}
		}
		annotations := pulumi.Map{}
		if a, ok := metadata["annotations"]; ok {
			existing, ok := a.(pulumi.Map)
			if !ok {
				panic(fmt.Sprintf("scaffold: the annotations of %s %s are a %T, not a pulumi.Map", kind, args.Name, a))
			}
			for k, v := range existing {
				annotations[k] = v
			}
		}
		annotations["pulumi.com/skipAwait"] = pulumi.String("true")
		annotations["pulumi.com/deletionPropagationPolicy"] = pulumi.String("background")
		metadata["annotations"] = annotations
		props["metadata"] = metadata
		return &pulumi.ResourceTransformResult{Props: props, Opts: args.Opts}
	})
}
