using Walkthrough.Tokens;

namespace Walkthrough.Tests.Tokens;

/// <summary>A tokenizer.json or tokenizer_config.json that the tokenizers library would refuse is refused here too, naming the key by its path.</summary>
public sealed class TokenizerChecksTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("walkthrough-tokcheck-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Vocabulary a, b, ab, <s>; the merge "a b"; <s> added as a special token.
    private const string Vocabulary = "\"a\": 0, \"b\": 1, \"ab\": 2, \"<s>\": 3";
    private const string Added = """[{"id": 3, "content": "<s>", "special": true}]""";

    private string Refusal(string vocab = Vocabulary, string merges = "[\"a b\"]", string added = Added, string extra = "")
    {
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"),
            $$"""{"model": {"type": "BPE", "vocab": {{{vocab}}}, "merges": {{merges}}}, "added_tokens": {{added}}{{extra}}}""");
        return Assert.Throws<WalkthroughException>(() => Tokenizer.Load(_folder)).Message;
    }

    [Theory]
    [InlineData("\"a\": 0.5, \"b\": 1, \"ab\": 2, \"<s>\": 3", "\"model.vocab.a\" is 0.5, not a whole number")]
    [InlineData("\"a\": -1, \"b\": 1, \"ab\": 2, \"<s>\": 3", "\"model.vocab.a\" is -1, but ids run from 0 to 4")]
    [InlineData("\"a\": 2147483647, \"b\": 1, \"ab\": 2, \"<s>\": 3", "\"model.vocab.a\" is 2,147,483,647, but ids run from 0 to 4")]
    [InlineData("\"a\": 1, \"b\": 1, \"ab\": 2, \"<s>\": 3", "\"model.vocab.b\" is 1, the id of \"a\" too")]
    public void Vocabulary_ids_must_be_whole_unique_and_in_range(string vocab, string expected)
    {
        var message = Refusal(vocab);

        Assert.Contains(expected, message);
        Assert.Contains("download tokenizer.json again", message);
    }

    [Fact]
    public void A_merge_listed_twice_or_of_unknown_pieces_is_refused()
    {
        Assert.Contains("\"model.merges[1]\" repeats the merge at rank 0", Refusal(merges: "[\"a b\", [\"a\", \"b\"]]"));
        Assert.Contains("\"model.merges[0]\" joins \"b\" and \"a\", but the vocabulary has no \"ba\"", Refusal(merges: "[\"b a\"]"));
        Assert.Contains("\"model.merges[0]\" is not a pair of pieces", Refusal(merges: "[\"a b ab\"]"));
    }

    [Fact]
    public void Added_tokens_must_have_their_own_ids_and_agree_with_the_vocabulary()
    {
        Assert.Contains("\"added_tokens[1].id\" is 3, the id of the added token \"<s>\" too",
            Refusal(added: """[{"id": 3, "content": "<s>"}, {"id": 3, "content": "<t>"}]"""));
        Assert.Contains("\"added_tokens[0].id\" is 1, but the vocabulary gives \"<s>\" the id 3", Refusal(added: """[{"id": 1, "content": "<s>"}]"""));
        Assert.Contains("\"added_tokens[0].special\" is \"yes\", a string; it must be true or false",
            Refusal(added: """[{"id": 3, "content": "<s>", "special": "yes"}]"""));
    }

    [Theory]
    [InlineData("normalizer", """{"type": "Replace", "pattern": {"Regex": "["}, "content": "x"}""", "\"normalizer.pattern.Regex\" is not a regular expression")]
    [InlineData("pre_tokenizer", """{"type": "Split", "pattern": {"Regex": "("}, "behavior": "Isolated"}""", "\"pre_tokenizer.pattern.Regex\" is not a regular expression")]
    [InlineData("decoder", """{"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"Regex": "(?"}, "content": " "}]}""", "\"decoder.decoders[0].pattern.Regex\" is not a regular expression")]
    public void A_pattern_that_does_not_parse_is_refused_naming_its_key(string component, string json, string expected)
    {
        Assert.Contains(expected, Refusal(extra: $", \"{component}\": {json}"));
    }

    [Fact]
    public void A_post_processor_id_outside_the_vocabulary_is_refused()
    {
        var template = """{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {"<s>": {"id": "<s>", "ids": [9], "tokens": ["<s>"]}}}""";

        Assert.Contains("post_processor.special_tokens[\"<s>\"].ids[0] is 9, but the vocabulary's ids run from 0 to 3", Refusal(extra: $", \"post_processor\": {template}"));
    }

    [Fact]
    public void BPE_dropout_is_refused_because_it_makes_tokenizing_random()
    {
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"),
            $$"""{"model": {"type": "BPE", "dropout": 0.1, "vocab": {{{Vocabulary}}}, "merges": ["a b"]}, "added_tokens": {{Added}}}""");

        Assert.Contains("\"model.dropout\" asks for BPE dropout", Assert.Throws<WalkthroughException>(() => Tokenizer.Load(_folder)).Message);
    }

    [Theory]
    [InlineData("[]", "tokenizer_config.json: the whole file is a list ([]), not a JSON object")]
    [InlineData("""{"bos_token": {"content": 5}}""", "\"bos_token.content\" is 5; it must be a string")]
    [InlineData("""{"bos_token": 1}""", "\"bos_token\" is 1; it must be a token's text")]
    [InlineData("""{"add_bos_token": "yes"}""", "\"add_bos_token\" is \"yes\", a string; it must be true or false")]
    [InlineData("""{"eos_token": "<nope>"}""", "\"eos_token\" is \"<nope>\", a token the tokenizer's vocabulary lacks")]
    public void A_tokenizer_config_that_says_something_impossible_is_refused(string json, string expected)
    {
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"),
            $$"""{"model": {"type": "BPE", "vocab": {{{Vocabulary}}}, "merges": ["a b"]}, "added_tokens": {{Added}}}""");
        File.WriteAllText(Path.Combine(_folder, "tokenizer_config.json"), json);

        var message = Assert.Throws<WalkthroughException>(() => Tokenizer.Load(_folder)).Message;

        Assert.Contains(expected, message);
        Assert.Contains("delete tokenizer_config.json: tokenizer.json alone is enough", message);
    }

    [Fact]
    public void A_damaged_sentencepiece_model_is_refused_naming_the_file()
    {
        var original = File.ReadAllBytes(RepoPaths.TestData("tokenizers", "mistral-sentencepiece", "tokenizer.model"));
        File.WriteAllBytes(Path.Combine(_folder, "tokenizer.model"), original[..(original.Length / 2)]);

        var message = Assert.Throws<WalkthroughException>(() => Tokenizer.Load(_folder)).Message;

        Assert.Contains("tokenizer.model: not a SentencePiece model that Walkthrough can read", message);
        Assert.Contains("download tokenizer.model again", message);
    }

    [Fact]
    public void An_empty_tokenizer_name_is_refused()
    {
        Assert.StartsWith("No tokenizer given (\"\")", Assert.Throws<WalkthroughException>(() => Tokenizer.Load("")).Message);
    }
}
