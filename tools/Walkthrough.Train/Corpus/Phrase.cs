using System.Text;

namespace Walkthrough.Train.Corpus;

/// <summary>
/// Expands a phrase with alternatives: "[A token is|Tokens are] small[| pieces]" picks one option in every pair of
/// brackets, nested brackets included, and an empty option means "leave it out". One template written this way
/// stands for dozens of sentences, which is where most of the corpus's variety comes from.
/// </summary>
public static class Phrase
{
    public static string Expand(CorpusRandom random, string template)
    {
        var text = new StringBuilder(template.Length);
        ExpandInto(random, template, text);
        return text.ToString();
    }

    /// <summary>Expands one template and then fills its {0}, {1}... with the arguments (culture-free).</summary>
    public static string Expand(CorpusRandom random, string template, params string[] arguments)
    {
        var text = Expand(random, template);
        for (var i = 0; i < arguments.Length; i++) text = text.Replace("{" + CorpusText.Number(i) + "}", arguments[i], StringComparison.Ordinal);
        return text;
    }

    /// <summary>Copies the template, replacing each bracket group by one of its options, expanded in turn.</summary>
    private static void ExpandInto(CorpusRandom random, string template, StringBuilder text)
    {
        var position = 0;
        while (position < template.Length)
        {
            var c = template[position];
            if (c == '[')
            {
                position++;
                var options = SplitOptions(template, ref position);
                ExpandInto(random, options[random.Below(options.Count)], text);
            }
            else if (c is ']' or '|')
            {
                throw Unbalanced(template);
            }
            else
            {
                text.Append(c);
                position++;
            }
        }
    }

    /// <summary>Reads "a|b[c|d]|e]" (position just after the opening bracket) into its top-level options.</summary>
    private static List<string> SplitOptions(string template, ref int position)
    {
        var options = new List<string>();
        var start = position;
        var depth = 0;
        for (; position < template.Length; position++)
        {
            switch (template[position])
            {
                case '[':
                    depth++;
                    break;
                case ']' when depth > 0:
                    depth--;
                    break;
                case ']':
                    options.Add(template[start..position]);
                    position++;
                    return options;
                case '|' when depth == 0:
                    options.Add(template[start..position]);
                    start = position + 1;
                    break;
            }
        }
        throw Unbalanced(template);
    }

    private static InvalidOperationException Unbalanced(string template) =>
        new($"Unbalanced [ | ] in corpus phrase: {template}");
}
