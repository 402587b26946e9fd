"""A minimal Python program under the real Pulumi engine (test/cluster/languages.cluster.ts):
it reads stack config, registers a component resource and exports outputs computed in Python."""
import pulumi


class Greeting(pulumi.ComponentResource):
    """A component resource with no provider: the engine records it in the state."""

    def __init__(self, name: str, who: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("toolhive:test:Greeting", name, None, opts)
        self.message = pulumi.Output.from_input(who).apply(lambda w: f"Hello, {w}!")
        self.register_outputs({"message": self.message})


config = pulumi.Config()
words = sorted(config.require("words").split())
greeting = Greeting("greeting", config.require("name"))

pulumi.export("language", "python")
pulumi.export("stack", pulumi.get_stack())
pulumi.export("message", greeting.message)
pulumi.export("words", [w.upper() for w in words])
pulumi.export("count", len(words))
pulumi.export("summary", f"{len(words)} words, longest {max(len(w) for w in words)}")
