using System.Text.Json.Nodes;
using Walkthrough;
using Walkthrough.Checkpoints;
using static TorchSharp.torch;

namespace PeerBench.Gguf;

/// <summary>
/// A kit model folder (config.json, model.safetensors, tokenizer.json) as a GGUF file for llama.cpp's "llama"
/// architecture: the same weights under llama.cpp's tensor names, with four things changed on the way.
/// <list type="bullet">
/// <item>q_proj and k_proj rows are reordered per head: Hugging Face checkpoints rotate dimension i with i + d/2
/// ("rotate half"), llama.cpp's llama architecture rotates neighbours 2i and 2i + 1, so row i goes to 2i and row
/// i + d/2 to 2i + 1.</item>
/// <item>Norm weights are float32 whatever the dtype (llama.cpp multiplies by them in float32).</item>
/// <item>A tied output head is written out as output.weight (a copy of the embedding), so both sides run the same
/// matrix the same way.</item>
/// <item>The vocabulary's scores follow tokenizer.json's merge ranks (the first merge scores highest), which is what
/// llama.cpp's SentencePiece tokenizer merges by.</item>
/// </list>
/// </summary>
internal static class LlamaGguf
{
    public static void Write(string modelFolder, ScalarType dtype, string path)
    {
        var config = ModelConfig.Read(modelFolder);
        if (config.Architecture is not (Architecture.Llama or Architecture.Mistral) || config.AttentionBias || config.RopeScaling is { Type: not "default" })
            throw new WalkthroughException($"{modelFolder}: the GGUF writer handles Llama and Mistral checkpoints without attention biases or rope scaling, not this {config.ModelType}.");
        var type = dtype == ScalarType.BFloat16 ? GgmlType.BF16 : dtype == ScalarType.Float32 ? GgmlType.F32
            : throw new WalkthroughException($"The GGUF writer writes float32 or bfloat16, not {dtype}.");
        using var checkpoint = Checkpoint.Open(modelFolder);
        var gguf = new GgufWriter();
        Metadata(gguf, config, Path.GetFileName(Path.GetFullPath(modelFolder)), type);
        Vocabulary(gguf, Path.Combine(modelFolder, "tokenizer.json"), config);

        void Tensor(string target, string source, int? permuteHeads = null)
        {
            var shape = checkpoint[source].Shape.ToArray();
            // Vectors (the norms' weights) stay float32, as llama.cpp's own converter writes them: its CPU code
            // multiplies float32 activations by float32 or by quantised matrices, not by a bfloat16 vector.
            var (stored, storedType) = shape.Length == 1 ? (ScalarType.Float32, GgmlType.F32) : (dtype, type);
            gguf.AddTensor(target, shape, storedType, stream =>
            {
                using var scope = NewDisposeScope();
                var tensor = checkpoint.ReadTensor(source, stored, CPU);
                if (permuteHeads is { } heads) tensor = InterleavedRotary(tensor, heads);
                SafetensorsBytes.ForEachChunk(tensor.contiguous(), (chunk, _) => stream.Write(chunk));
            });
        }

        Tensor("token_embd.weight", "model.embed_tokens.weight");
        for (var i = 0; i < config.Layers; i++)
        {
            var hf = $"model.layers.{i}.";
            var blk = $"blk.{i}.";
            Tensor(blk + "attn_norm.weight", hf + "input_layernorm.weight");
            Tensor(blk + "attn_q.weight", hf + "self_attn.q_proj.weight", config.Heads);
            Tensor(blk + "attn_k.weight", hf + "self_attn.k_proj.weight", config.KeyValueHeads);
            Tensor(blk + "attn_v.weight", hf + "self_attn.v_proj.weight");
            Tensor(blk + "attn_output.weight", hf + "self_attn.o_proj.weight");
            Tensor(blk + "ffn_norm.weight", hf + "post_attention_layernorm.weight");
            Tensor(blk + "ffn_gate.weight", hf + "mlp.gate_proj.weight");
            Tensor(blk + "ffn_up.weight", hf + "mlp.up_proj.weight");
            Tensor(blk + "ffn_down.weight", hf + "mlp.down_proj.weight");
        }
        Tensor("output_norm.weight", "model.norm.weight");
        Tensor("output.weight", config.TiedEmbeddings || !checkpoint.Contains("lm_head.weight") ? "model.embed_tokens.weight" : "lm_head.weight");
        gguf.Write(path);
    }

    /// <summary>
    /// Rows of a (heads · d, columns) projection reordered within each head from rotate-half pairs (i, i + d/2) to
    /// neighbouring pairs (2i, 2i + 1).
    /// </summary>
    public static Tensor InterleavedRotary(Tensor weight, int heads)
    {
        var (rows, columns) = (weight.shape[0], weight.shape[1]);
        return weight.view(heads, 2, rows / heads / 2, columns).transpose(1, 2).reshape(rows, columns);
    }

    private static void Metadata(GgufWriter gguf, ModelConfig config, string name, GgmlType type)
    {
        gguf.Add("general.architecture", "llama");
        gguf.Add("general.name", name);
        gguf.Add("general.file_type", type == GgmlType.BF16 ? 32u : 0u); // llama.cpp's LLAMA_FTYPE: ALL_F32 = 0, MOSTLY_BF16 = 32
        gguf.Add("llama.vocab_size", (uint)config.VocabularySize);
        gguf.Add("llama.context_length", (uint)config.MaxPositions);
        gguf.Add("llama.embedding_length", (uint)config.HiddenSize);
        gguf.Add("llama.block_count", (uint)config.Layers);
        gguf.Add("llama.feed_forward_length", (uint)config.IntermediateSize);
        gguf.Add("llama.attention.head_count", (uint)config.Heads);
        gguf.Add("llama.attention.head_count_kv", (uint)config.KeyValueHeads);
        gguf.Add("llama.attention.key_length", (uint)config.HeadDim);
        gguf.Add("llama.attention.value_length", (uint)config.HeadDim);
        gguf.Add("llama.attention.layer_norm_rms_epsilon", (float)config.NormEpsilon);
        gguf.Add("llama.rope.freq_base", (float)(config.RopeTheta ?? 10000));
        gguf.Add("llama.rope.dimension_count", (uint)config.HeadDim);
    }

    /// <summary>tokenizer.ggml.*: SentencePiece-style ("llama") tokens, scores from the merge ranks, token types, special ids.</summary>
    private static void Vocabulary(GgufWriter gguf, string tokenizerJson, ModelConfig config)
    {
        var root = JsonNode.Parse(File.ReadAllText(tokenizerJson))!.AsObject();
        var model = root["model"]!.AsObject();
        if ((string?)model["type"] != "BPE")
            throw new WalkthroughException($"{tokenizerJson}: the GGUF writer reads a BPE tokenizer.json (SentencePiece-BPE), not {(string?)model["type"]}.");
        var vocab = model["vocab"]!.AsObject();
        var tokens = new string[config.VocabularySize];
        foreach (var (piece, id) in vocab)
        {
            var index = (int)id!;
            if (index < tokens.Length) tokens[index] = piece;
        }
        var special = new HashSet<int>();
        foreach (var added in root["added_tokens"]?.AsArray() ?? [])
        {
            var id = (int)added!["id"]!;
            if (id >= tokens.Length) continue;
            tokens[id] = (string)added["content"]!;
            if ((bool?)added["special"] == true) special.Add(id);
        }
        var merges = MergeResults(model["merges"]!.AsArray());
        var scores = new float[tokens.Length];
        var types = new int[tokens.Length];
        for (var id = 0; id < tokens.Length; id++)
        {
            tokens[id] ??= $"<unused{id}>";
            // A merge's result scores −rank (earlier merges first); pieces no merge makes (characters, bytes) score below all.
            scores[id] = merges.TryGetValue(tokens[id], out var rank) ? -rank : -merges.Count - 1;
            types[id] = special.Contains(id) ? tokens[id] == "<unk>" ? TokenType.Unknown : TokenType.Control
                : IsByte(tokens[id]) ? TokenType.Byte
                : TokenType.Normal;
        }
        gguf.Add("tokenizer.ggml.model", "llama");
        gguf.Add("tokenizer.ggml.tokens", tokens);
        gguf.Add("tokenizer.ggml.scores", scores);
        gguf.Add("tokenizer.ggml.token_type", types);
        if (Array.IndexOf(tokens, "<unk>") is >= 0 and var unk) gguf.Add("tokenizer.ggml.unknown_token_id", (uint)unk);
        if (config.BosTokenId is { } bos) gguf.Add("tokenizer.ggml.bos_token_id", (uint)bos);
        if (config.EosTokenIds.Count > 0) gguf.Add("tokenizer.ggml.eos_token_id", (uint)config.EosTokenIds[0]);
        gguf.Add("tokenizer.ggml.add_bos_token", config.BosTokenId is not null);
        gguf.Add("tokenizer.ggml.add_eos_token", false);
    }

    /// <summary>Each merged piece and the rank of the first merge that makes it ("▁ t" makes "▁t").</summary>
    private static Dictionary<string, int> MergeResults(JsonArray merges)
    {
        var results = new Dictionary<string, int>();
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var merge = merges[rank]!;
            var piece = merge is JsonArray pair ? (string)pair[0]! + (string)pair[1]! : ((string)merge!).Replace(" ", "", StringComparison.Ordinal);
            results.TryAdd(piece, rank);
        }
        return results;
    }

    private static bool IsByte(string piece) => piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece.EndsWith('>');

    /// <summary>llama.cpp's token types.</summary>
    private static class TokenType
    {
        public const int Normal = 1;
        public const int Unknown = 2;
        public const int Control = 3;
        public const int Byte = 6;
    }
}
