using System.Text.Json;
using System.Text.RegularExpressions;

namespace Walkthrough.Tests.Cli;

/// <summary>The rules every command's --json keeps (docs/json.md): snake_case keys, no C# record dumped as text.</summary>
internal static partial class JsonSchema
{
    public static void AssertClean(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.True(SnakeCase().IsMatch(property.Name), $"{path}.{property.Name} is not snake_case");
                    AssertClean(property.Value, $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) AssertClean(item, $"{path}[{i++}]");
                break;
            case JsonValueKind.String:
                Assert.False(RecordText().IsMatch(element.GetString()!), $"{path} holds a C# record's ToString: {element.GetString()}");
                break;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    // "FitOption { Change = SixteenBit, … }"
    [GeneratedRegex(@"^[A-Z]\w* \{ \w+ = ")]
    private static partial Regex RecordText();
}
