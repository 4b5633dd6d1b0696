using System.Text.Json;

namespace Walkthrough.Notebooks;

/// <summary>The metadata Polyglot Notebooks (VS Code) writes for a C# notebook and its code cells.</summary>
internal static class PolyglotMetadata
{
    public const string CSharpKernel = "csharp";

    public static readonly JsonElement CSharpNotebook = JupyterJson.Element("""
        {
          "kernelspec": { "display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp" },
          "language_info": { "name": "polyglot-notebook" },
          "polyglot_notebook": {
            "kernelInfo": { "defaultKernelName": "csharp", "items": [ { "aliases": [], "name": "csharp" } ] }
          }
        }
        """);

    // Polyglot Notebooks writes both keys: the older "dotnet_interactive" and the current "polyglot_notebook".
    public static readonly JsonElement CSharpCell = JupyterJson.Element("""
        { "dotnet_interactive": { "language": "csharp" }, "polyglot_notebook": { "kernelName": "csharp" } }
        """);
}
