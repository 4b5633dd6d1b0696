using Walkthrough.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>What to do about a tokenizer.json the kit cannot read, and the error for a component type it does not run.</summary>
internal static class TokenizerJsonError
{
    public const string Fix = "the file is damaged or hand-edited — download tokenizer.json again from the model's repository";

    public static WalkthroughException Unsupported(JsonField field, string component, string type, string supported) =>
        field.Error($"is \"{type}\": the {component} type \"{type}\" is not supported by Walkthrough (supported: {supported})",
            "use a model whose tokenizer the kit supports, or its tokenizer.model (SentencePiece) if it has one");
}
