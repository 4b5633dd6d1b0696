using System.Text;
using System.Text.Json.Nodes;
using Walkthrough.Fuzz.Json;

namespace Walkthrough.Fuzz.Families;

/// <summary>A family that is one JSON file: its mutations, judged by the file's rules.</summary>
internal sealed class JsonFileCases : CaseSource
{
    private readonly string _file;
    private readonly JsonRules _rules;
    private readonly JsonNode? _pristine;
    private readonly Lazy<JsonMutator> _mutator;

    private JsonFileCases(Family family, string file, byte[] bytes, JsonRules rules, bool indented, IReadOnlyList<Insertion> insertions)
    {
        Family = family;
        _file = file;
        _rules = rules;
        _pristine = JsonTree.Parse(Encoding.UTF8.GetString(bytes));
        _mutator = new(() => new JsonMutator(bytes, rules.Maps, indented, insertions));
    }

    public override Family Family { get; }

    public override FuzzCase Make(int index, Random random)
    {
        var mutation = _mutator.Value.Make(index, random);
        var judgement = mutation.Judgement ?? _rules.Judge(mutation.Bytes, _pristine);
        var bytes = mutation.Bytes;
        return new FuzzCase(mutation.Description, judgement, [_file], folder => File.WriteAllBytes(Path.Combine(folder, _file), bytes));
    }

    public static JsonFileCases Config(BaseModel model) => new(Family.Config, "config.json", model.Config, new ConfigRules(), indented: true,
    [
        .. Top("rope_scaling", """{"type": "linear", "factor": 2.0}""", """{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}""",
            """{"type": "dynamic", "factor": 2.0}""", """{"type": "yarn", "factor": 4.0}""", """{"type": "linear"}""", """{"type": "linear", "factor": 0}""",
            """{"type": "linear", "factor": "2"}""", """{"type": 5}""", "\"linear\"", """{"rope_type": "llama3", "factor": 8.0}""", "null", "[]"),
        .. Top("hidden_act", "\"gelu\"", "\"gelu_pytorch_tanh\"", "\"silu\"", "5"),
        .. Top("attention_bias", "true", "false"),
        .. Top("modelPathtype", "\"qwen2\"", "\"llama\"", "\"mpt\"", "\"gpt2\"", "\"Mistral\"", "\"mistral \"", "[\"mistral\"]", "5", "true"),
        .. Top("eos_token_id", "[2]", "[2, 1]", "[null]", "[2.5]", "[\"2\", 2]", "[]", "[-1]", "2147483647", "[1000000]"),
        .. Top("bos_token_id", "null", "1.0", "\"1\"", "-5", "1000000"),
        .. Top("torch_dtype", "5", "\"float32\"", "null"),
        .. Top("num_hidden_layers", "2147483647", "100000", "0", "-1"),
        .. Top("vocab_size", "2147483647", "1000000000", "0", "-1", "1e9"),
        .. Top("hidden_size", "2147483647", "65536", "0", "-192"),
        .. Top("intermediate_size", "2147483647", "0"),
        .. Top("num_attention_heads", "0", "-6", "7", "5", "2147483647"),
        .. Top("num_key_value_heads", "0", "4", "3", "2147483647"),
        .. Top("head_dim", "0", "-32", "null", "2147483647", "1"),
        .. Top("max_position_embeddings", "0", "1", "2147483647", "2147483648"),
        .. Top("rms_norm_eps", "-1.0", "0", "0.0", "1e-300", "1e309", "\"NaN\"", "\"1e-5\"", "1", "1e-3"),
        .. Top("rope_theta", "0", "-10000.0", "1e-300", "1e309", "1", "500000.0"),
        .. Top("sliding_window", "0", "-1", "null", "4", "2147483647"),
        .. Top("tie_word_embeddings", "false", "\"true\"", "1", "null"),
    ]);

    public static JsonFileCases TokenizerConfig(BaseModel model) => new(Family.TokenizerConfig, "tokenizer_config.json", model.TokenizerConfig,
        new TokenizerConfigRules(Pieces(model)), indented: true,
    [
        .. Top("bos_token", """{"content": 5}""", """{"content": "<s>", "lstrip": false}""", """{"lstrip": false}""", "\"<nope>\"", "\"</s>\"", "5", "[]", "null"),
        .. Top("eos_token", """{"content": null}""", "\"<nope>\"", "\"<s>\"", "true"),
        .. Top("unk_token", "\"<nope>\"", """{"content": ["<unk>"]}"""),
        .. Top("add_bos_token", "\"yes\"", "1", "false", "null"),
        .. Top("add_eos_token", "true", "\"no\"", "0"),
        .. Top("chat_template", "5", "[{\"name\": \"default\", \"template\": \"{{ messages }}\"}]", "[5]", "\"{% for m in messages %}{{ m.content }}{% endfor %}\"", "{}"),
        .. Top("tokenizer_class", "5", "\"LlamaTokenizerFast\""),
    ]);

    public static JsonFileCases Tokenizer(BaseModel model)
    {
        var entries = Pieces(model).Count;
        var vocabulary = (long)JsonTree.Parse(Encoding.UTF8.GetString(model.Config))!["vocab_size"]!.GetValue<int>();
        string Added(string id, string content) => $$"""{"id": {{id}}, "content": {{content}}, "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}""";
        string Split(string regex, string behavior = "Isolated") => $$"""{"type": "Split", "pattern": {"Regex": {{JsonValue.Create(regex).ToJsonString(JsonTree.Compact)}}}, "behavior": "{{behavior}}", "invert": false}""";
        string Template(string ids) => """{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "pair": [], "special_tokens": {"<s>": {"id": "<s>", "ids": """ + ids + """, "tokens": ["<s>"]}}}""";
        var modelPath = JsonPath.Root.Member("model", new HashSet<string>());
        var vocab = modelPath.Member("vocab", new HashSet<string>());
        var added = JsonPath.Root.Member("added_tokens", new HashSet<string>());
        return new JsonFileCases(Family.Tokenizer, "tokenizer.json", model.Tokenizer, new TokenizerRules(vocabulary), indented: false,
        [
            .. Top("pre_tokenizer", Split("("), Split(@"\s+"), Split("[a-", "Removed"), Split("(?<x"), Split(@"\p{Foo}"), Split("a", "Contiguous"), Split("(a+)+$"),
                """{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}""", """{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true}""",
                """{"type": "Metaspace", "replacement": 5}""", """{"type": "Digits", "individual_digits": true}""", """{"type": "Whitespace"}""", """{"type": "Punctuation"}""",
                $$"""{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": false}, {{Split(")")}}]}""", "[]", "5"),
            .. Top("normalizer", """{"type": "Replace", "pattern": {"Regex": "["}, "content": "x"}""", """{"type": "Sequence", "normalizers": [{"type": "Replace", "pattern": {"Regex": "*"}, "content": ""}]}""",
                """{"type": "NFKC"}""", """{"type": "Lowercase"}""", """{"type": "Strip", "strip_left": true, "strip_right": "yes"}""", """{"type": "BertNormalizer"}""",
                """{"type": "Replace", "pattern": {"Regex": ""}, "content": "x"}""", """{"type": "Replace", "pattern": {"String": ""}, "content": "x"}""", """{"type": "Prepend", "prepend": 5}"""),
            .. Top("decoder", """{"type": "Replace", "pattern": {"Regex": "(?"}, "content": " "}""", """{"type": "Strip", "content": " ", "start": -1, "stop": 0}""",
                """{"type": "Strip", "content": " ", "start": 2.5, "stop": 0}""", """{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always"}""", """{"type": "CTC"}""", """{"type": "ByteLevel"}"""),
            .. Top("post_processor", Template($"[{vocabulary + 40000}]"), Template("[-1]"), Template("[1.5]"), Template("[2147483647]"), Template("[1, 2]"),
                """{"type": "BertProcessing", "sep": ["</s>", 2], "cls": ["<s>", 1]}""", $$"""{"type": "BertProcessing", "sep": ["</s>", {{vocabulary + 1}}], "cls": ["<s>", 1]}""",
                """{"type": "RobertaProcessing", "sep": ["</s>"], "cls": ["<s>", 1]}"""),
            new(added, null, Added(entries.ToString(), "\"<new>\"")), new(added, null, Added("5", "\"<new>\"")), new(added, null, Added("1", "\"<s>\"")),
            new(added, null, Added("1.5", "\"<new>\"")), new(added, null, Added("\"1\"", "\"<new>\"")), new(added, null, """{"content": "<x>"}"""),
            new(added, null, Added((vocabulary - 1).ToString(), "\"\"")), new(added, null, Added("2147483647", "\"<big>\"")),
            new(modelPath, "dropout", "0.1"), new(modelPath, "ignore_merges", "true"), new(modelPath, "continuing_subword_prefix", "\"##\""), new(modelPath, "type", "\"WordPiece\""),
            new(modelPath, "unk_token", "\"<nope>\""), new(modelPath, "byte_fallback", "\"yes\""),
            new(vocab, "zz_big", "2147483647"), new(vocab, "zz_negative", "-1"), new(vocab, "zz_fraction", "0.5"), new(vocab, "zz_twin", "3"),
            new(vocab, "zz_next", entries.ToString()), new(vocab, "zz_string", "\"7\""),
        ]);
    }

    private static IEnumerable<Insertion> Top(string key, params string[] values) => values.Select(v => new Insertion(JsonPath.Root, key, v));

    private static HashSet<string> Pieces(BaseModel model) =>
        JsonTree.Parse(Encoding.UTF8.GetString(model.Tokenizer))!["model"]!["vocab"]!.AsObject().Select(p => p.Key).ToHashSet();
}
