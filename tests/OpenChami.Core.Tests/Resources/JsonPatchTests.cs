using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Resources;

namespace OpenChami.Core.Tests.Resources;

public class JsonPatchTests
{
    private static JsonNode? J(string json) => JsonNode.Parse(json);

    private static void AssertJson(string expected, JsonNode? actual) => Assert.True(JsonNode.DeepEquals(J(expected), actual), $"expected {expected}, got {actual?.ToJsonString()}");

    [Fact]
    public void Merge_patch_follows_RFC_7386_examples()
    {
        // RFC 7386 §3: the example document and patch.
        var target = J("""{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}""");
        var patch = J("""{"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}""");
        AssertJson("""{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}""", JsonPatch.Merge(target, patch));
        // Appendix A, a few rows.
        AssertJson("""{"a":"b"}""", JsonPatch.Merge(J("""{"a":"b"}"""), J("""{"b":null}""")));
        AssertJson("""["c"]""", JsonPatch.Merge(J("""{"a":"b"}"""), J("""["c"]""")));
        AssertJson("""{"a":{"bb":{}}}""", JsonPatch.Merge(J("""{}"""), J("""{"a":{"bb":{"ccc":null}}}""")));
        Assert.Equal("Doe", (string?)target!["author"]!["familyName"]); // the target itself is not changed
    }

    [Fact]
    public void Json_patch_applies_every_operation_in_order()
    {
        var target = J("""{"kernel":"a","params":"x","hosts":["n1","n3"],"meta":{"k":1}}""");
        var ops = (JsonArray)J("""
            [{"op":"replace","path":"/kernel","value":"b"},
             {"op":"add","path":"/hosts/1","value":"n2"},
             {"op":"add","path":"/hosts/-","value":"n4"},
             {"op":"remove","path":"/params"},
             {"op":"copy","from":"/kernel","path":"/initrd"},
             {"op":"move","from":"/meta/k","path":"/priority"},
             {"op":"test","path":"/priority","value":1}]
            """)!;
        AssertJson("""{"kernel":"b","hosts":["n1","n2","n3","n4"],"meta":{},"initrd":"b","priority":1}""", JsonPatch.Apply(target, ops));
        Assert.Equal("a", (string?)target!["kernel"]); // applied to a copy
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/kernel","value":"other"}]""")]
    [InlineData("""[{"op":"remove","path":"/missing"}]""")]
    [InlineData("""[{"op":"add","path":"/hosts/7","value":"x"}]""")]
    [InlineData("""[{"op":"add","path":"/hosts/01","value":"x"}]""")]
    [InlineData("""[{"op":"frobnicate","path":"/kernel"}]""")]
    [InlineData("""[{"op":"replace","path":"kernel","value":"x"}]""")]
    [InlineData("""[{"op":"add","path":"/kernel"}]""")]
    [InlineData("""["not an object"]""")]
    public void Json_patch_refuses_what_it_cannot_apply(string operations)
    {
        var target = J("""{"kernel":"a","hosts":["n1"]}""");
        var ex = Assert.Throws<ChamiException>(() => JsonPatch.Apply(target, (JsonArray)J(operations)!));
        Assert.Equal(ChamiErrorKind.InvalidArgument, ex.Kind);
        AssertJson("""{"kernel":"a","hosts":["n1"]}""", target);
    }

    [Fact]
    public void Pointer_tokens_are_unescaped()
    {
        AssertJson("""{"a/b":{"m~n":2}}""", JsonPatch.Apply(J("""{"a/b":{"m~n":1}}"""), (JsonArray)J("""[{"op":"replace","path":"/a~1b/m~0n","value":2}]""")!));
    }
}
