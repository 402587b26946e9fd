// A minimal Go program under the real Pulumi engine (test/cluster/languages.cluster.ts): it
// reads stack config, registers a component resource and exports outputs computed in Go.
package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Greeting is a component resource with no provider: the engine records it in the state.
type Greeting struct {
	pulumi.ResourceState
	Message pulumi.StringOutput `pulumi:"message"`
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		name := cfg.Require("name")
		words := strings.Fields(cfg.Require("words"))
		sort.Strings(words)
		upper := make([]string, len(words))
		for i, w := range words {
			upper[i] = strings.ToUpper(w)
		}

		greeting := &Greeting{}
		if err := ctx.RegisterComponentResource("toolhive:test:Greeting", "greeting", greeting); err != nil {
			return err
		}
		greeting.Message = pulumi.Sprintf("Hello, %s!", name)
		if err := ctx.RegisterResourceOutputs(greeting, pulumi.Map{"message": greeting.Message}); err != nil {
			return err
		}

		ctx.Export("language", pulumi.String("go"))
		ctx.Export("stack", pulumi.String(ctx.Stack()))
		ctx.Export("message", greeting.Message)
		ctx.Export("words", pulumi.ToStringArray(upper))
		ctx.Export("count", pulumi.Int(len(words)))
		ctx.Export("summary", pulumi.String(fmt.Sprintf("%d words, longest %d", len(words), longest(words))))
		return nil
	})
}

func longest(words []string) int {
	n := 0
	for _, w := range words {
		if len(w) > n {
			n = len(w)
		}
	}
	return n
}
