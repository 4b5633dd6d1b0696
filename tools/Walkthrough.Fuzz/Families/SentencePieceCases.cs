namespace Walkthrough.Fuzz.Families;

/// <summary>
/// tokenizer.model, a SentencePiece protobuf, read when a folder has no tokenizer.json: cut anywhere, bits flipped,
/// doubled (protobuf concatenation merges the two), or replaced by something that is not a model at all.
/// The rules of its format are the protobuf's, so only refusals and finite loads are asked for; crashes are what is hunted.
/// </summary>
internal sealed class SentencePieceCases(BaseModel model) : CaseSource
{
    private const string ModelFile = "tokenizer.model";

    public override Family Family => Family.SentencePiece;

    public override FuzzCase Make(int index, Random random)
    {
        var bytes = model.SentencePiece;
        var (description, judgement, result) = (index % 4) switch
        {
            0 => Cut(bytes, random),
            1 => Flip(bytes, random),
            2 => Flip(Flip(bytes, random).Item3, random),
            _ => Other(bytes, random),
        };
        return new FuzzCase(description, judgement, [ModelFile], folder => File.WriteAllBytes(Path.Combine(folder, ModelFile), result));
    }

    private static (string, Judgement, byte[]) Cut(byte[] bytes, Random random)
    {
        var at = random.Next(4) == 0 ? random.Next(64) : random.Next(bytes.Length);
        return ($"cut after {at:N0} of {bytes.Length:N0} bytes", Judgement.Finite("a shorter protobuf may still be a model"), bytes[..at]);
    }

    private static (string, Judgement, byte[]) Flip(byte[] bytes, Random random)
    {
        var copy = bytes.ToArray();
        var at = random.Next(copy.Length);
        var bit = random.Next(8);
        copy[at] ^= (byte)(1 << bit);
        return ($"bit {bit} of byte {at:N0} flipped", Judgement.Finite("a flipped bit may leave a valid model"), copy);
    }

    private static (string, Judgement, byte[]) Other(byte[] bytes, Random random)
    {
        var noise = new byte[256];
        random.NextBytes(noise);
        var choices = new (string, Judgement, byte[])[]
        {
            ("an empty file", Judgement.Refuse("an empty file is no model"), []),
            ("256 random bytes", Judgement.Finite("random bytes are almost never a model"), noise),
            ("JSON text", Judgement.Refuse("JSON is no protobuf"), "{\"model\": {\"type\": \"BPE\"}}"u8.ToArray()),
            ("the model twice over", Judgement.Finite("protobuf merges the two copies"), [.. bytes, .. bytes]),
            ("a NUL byte", Judgement.Refuse("one NUL byte is no model"), [0]),
        };
        return choices[random.Next(choices.Length)];
    }
}
