using Walkthrough.Checkpoints;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>config.json's numbers are checked for type, range and fit before anything is built from them; each error names the key.</summary>
public sealed class ConfigChecksTests
{
    private const string Mistral = """
        "model_type": "mistral", "vocab_size": 64, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "intermediate_size": 64, "max_position_embeddings": 64
        """;

    private static string Refusal(string json) => Assert.Throws<WalkthroughException>(() => ModelConfig.Parse(json)).Message;

    private static string With(string key, string value) =>
        "{" + string.Join(", ", Mistral.Split(',').Select(p => p.Trim()).Where(p => !p.StartsWith($"\"{key}\"", StringComparison.Ordinal)).Append($"\"{key}\": {value}")) + "}";

    [Theory]
    [InlineData("\"32\"", "\"hidden_size\" is \"32\", a string; it must be a whole number from 1 to 131,072")]
    [InlineData("32.0", "\"hidden_size\" is 32.0, not a whole number; it must be a whole number from 1 to 131,072")]
    [InlineData("[32]", "\"hidden_size\" is a list ([32]); it must be a whole number")]
    [InlineData("-1", "\"hidden_size\" is -1, but it must be from 1 to 131,072")]
    [InlineData("2147483647", "\"hidden_size\" is 2,147,483,647, but it must be from 1 to 131,072")]
    public void A_size_must_be_a_whole_number_in_range(string value, string expected)
    {
        var message = Refusal(With("hidden_size", value));

        Assert.Contains(expected, message);
        Assert.Contains("correct it in config.json, or download config.json again", message);
    }

    [Fact]
    public void A_layer_count_no_model_has_is_refused_before_anything_is_built()
    {
        Assert.Contains("\"num_hidden_layers\" is 2,147,483,647, but it must be from 1 to 4,096", Refusal(With("num_hidden_layers", "2147483647")));
    }

    [Fact]
    public void Key_value_heads_must_divide_the_heads_and_heads_the_width()
    {
        Assert.Contains("\"num_key_value_heads\" is 3, but it must be from 1 to num_attention_heads (2)",
            Refusal(With("num_key_value_heads", "3").Replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 2")));
        Assert.Contains("\"num_key_value_heads\" is 3, which does not divide num_attention_heads (4)", Refusal(With("num_key_value_heads", "3")));
        Assert.Contains("\"num_attention_heads\" is 5, which does not divide hidden_size (32)",
            Refusal(With("num_attention_heads", "5").Replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 5")));
    }

    [Fact]
    public void Rotary_heads_must_have_an_even_number_of_dimensions()
    {
        Assert.Contains("\"head_dim\" gives heads of 7 dimensions, an odd number", Refusal(With("head_dim", "7")));
    }

    [Theory]
    [InlineData("-1.0")]
    [InlineData("0")]
    [InlineData("\"1e-5\"")]
    [InlineData("1e309")]
    public void A_norm_epsilon_must_be_small_positive_and_finite(string value)
    {
        Assert.Contains("\"rms_norm_eps\" is", Refusal(With("rms_norm_eps", value)));
    }

    [Theory]
    [InlineData("[\"mistral\"]", "\"model_type\" is a list ([\"mistral\"]); it must be a string")]
    [InlineData("5", "\"model_type\" is 5; it must be a string")]
    [InlineData("true", "\"model_type\" is true; it must be a string")]
    public void A_model_type_that_is_not_a_string_is_named(string value, string expected)
    {
        Assert.Contains(expected, Refusal(With("model_type", value)));
    }

    [Theory]
    [InlineData("[null]", "\"eos_token_id[0]\" is null; it must be a token id")]
    [InlineData("[2.5]", "\"eos_token_id[0]\" is 2.5, not a whole number")]
    [InlineData("[\"2\", 2]", "\"eos_token_id[0]\" is \"2\", a string")]
    [InlineData("64", "\"eos_token_id\" is 64, but a token id must be from 0 to vocab_size − 1 (63)")]
    public void End_of_text_ids_must_be_token_ids_of_the_vocabulary(string value, string expected)
    {
        Assert.Contains(expected, Refusal(With("eos_token_id", value)));
    }

    [Fact]
    public void A_key_written_twice_is_refused_not_guessed()
    {
        var message = Refusal("{" + Mistral + ", \"vocab_size\": 128}");

        Assert.Contains("\"vocab_size\" appears twice, so which value counts is unclear", message);
    }

    [Fact]
    public void An_activation_the_kit_does_not_compute_is_refused()
    {
        Assert.Contains("\"hidden_act\" is \"gelu\", but Walkthrough's Mistral computes its MLP with SiLU only", Refusal(With("hidden_act", "\"gelu\"")));
    }

    [Fact]
    public void A_config_that_is_not_an_object_is_refused()
    {
        Assert.Contains("the whole file is a list ([]), not a JSON object", Refusal("[]"));
    }

    [Fact]
    public void Sizes_the_machine_cannot_hold_are_refused_with_the_planner_s_figure()
    {
        // 2^24 tokens × 2^17 dimensions: 2.2 trillion parameters in the embedding alone, 8 TiB in float32.
        var config = ModelConfig.Parse("""
            {"model_type": "llama", "vocab_size": 16777216, "hidden_size": 131072, "num_hidden_layers": 1, "num_attention_heads": 1024,
             "intermediate_size": 8, "max_position_embeddings": 8, "tie_word_embeddings": true}
            """);

        Walkthrough.Native.TorchRuntime.Ensure();  // before the first use of torch's types
        var message = Assert.Throws<WalkthroughException>(() => MemoryCheck.Require("huge", config, TorchSharp.torch.ScalarType.Float32, TorchSharp.torch.CPU, int8: false)).Message;

        Assert.Contains("huge needs ", message);
        Assert.Contains($"for its weights in float32 ({Walkthrough.Hardware.ParameterCount.Of(config).Total:N0} parameters", message);
        Assert.Contains("parameters, counted from config.json: vocab_size 16,777,216, hidden_size 131,072", message);
        Assert.Contains("free: choose a smaller dtype (bfloat16) or int8 weights", message);
    }
}
