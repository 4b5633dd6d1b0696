using Walkthrough.Tokens;

namespace Walkthrough.Tests.Tokens;

public sealed class TokenizerLoadingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("walkthrough-tok-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_missing_folder_is_named_in_the_error()
    {
        var missing = Path.Combine(_folder, "nope");
        var error = Assert.Throws<WalkthroughException>(() => Tokenizer.Load(missing));
        Assert.Contains(missing, error.Message);
        Assert.Contains("o200k_base", error.Message);
    }

    [Fact]
    public void A_folder_without_a_tokenizer_file_says_which_files_are_expected()
    {
        var error = Assert.Throws<WalkthroughException>(() => Tokenizer.Load(_folder));
        Assert.Equal($"No tokenizer file in {_folder} — expected one of tokenizer.json, tokenizer.model.", error.Message);
    }

    [Fact]
    public void Malformed_json_names_the_file()
    {
        var file = Path.Combine(_folder, "tokenizer.json");
        File.WriteAllText(file, "{\"model\": ");
        var error = Assert.Throws<WalkthroughException>(() => Tokenizer.Load(_folder));
        Assert.StartsWith($"{file}: not valid JSON at line 1", error.Message);
    }

    [Fact]
    public void An_unsupported_model_type_names_the_type_and_what_is_supported()
    {
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}, \"added_tokens\": []}");
        var error = Assert.Throws<WalkthroughException>(() => Tokenizer.Load(_folder));
        Assert.Contains("\"model.type\" is \"WordPiece\": the model type \"WordPiece\" is not supported", error.Message);
        Assert.Contains("supported: BPE", error.Message);
    }

    [Fact]
    public void An_unsupported_normalizer_names_its_type()
    {
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"),
            "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"added_tokens\": [], \"normalizer\": {\"type\": \"BertNormalizer\"}}");
        var error = Assert.Throws<WalkthroughException>(() => Tokenizer.Load(_folder));
        Assert.Contains("\"normalizer.type\" is \"BertNormalizer\": the normalizer type \"BertNormalizer\" is not supported", error.Message);
    }

    [Fact]
    public void A_tokenizer_json_missing_its_model_is_named()
    {
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), "{\"added_tokens\": []}");
        var error = Assert.Throws<WalkthroughException>(() => Tokenizer.Load(_folder));
        Assert.Contains("\"model\" is missing, so there is no vocabulary", error.Message);
    }

    [Fact]
    public void A_tiny_hand_made_bpe_applies_merges_in_priority_order()
    {
        // Vocabulary a, b, c, ab, bc, abc; merges "a b" before "b c" before "ab c": "abc" → ab + c → abc.
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), """
            {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5},
                       "merges": ["a b", "b c", "ab c"]},
             "added_tokens": [], "pre_tokenizer": {"type": "WhitespaceSplit"}}
            """);
        var tokenizer = Tokenizer.Load(_folder);

        Assert.Equal([5], tokenizer.Encode("abc"));
        Assert.Equal([4], tokenizer.Encode("bc"));
        Assert.Equal([3, 4], tokenizer.Encode("abbc")); // a+b first (rank 0), then b+c (rank 1)
        Assert.Equal([0, 5], tokenizer.Encode("a abc"));
    }

    [Fact]
    public void Token_ids_outside_the_vocabulary_are_an_error()
    {
        var error = Assert.Throws<WalkthroughException>(() => ReferenceTokenizers.Get("mistral-7b").PieceOf(32000));
        Assert.Contains("outside the mistral-7b vocabulary (0..31999)", error.Message);
    }
}
