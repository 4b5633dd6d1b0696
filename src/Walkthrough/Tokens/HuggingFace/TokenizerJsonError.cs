namespace Walkthrough.Tokens.HuggingFace;

/// <summary>Errors about a tokenizer.json, each naming the file and what the kit supports.</summary>
internal static class TokenizerJsonError
{
    public static WalkthroughException Unsupported(string file, string component, string type, string supported) =>
        new($"{file}: the {component} type \"{type}\" is not supported by Walkthrough (supported: {supported}).");

    public static WalkthroughException Malformed(string file, string what) =>
        new($"{file}: {what} — is it a Hugging Face tokenizer.json? Re-download it from the model's repository.");
}
