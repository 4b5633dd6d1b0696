using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Walkthrough.Notebooks;

/// <summary>
/// A lesson's markdown as text for a terminal — what the kit's runner and the file-based apps print between cells:
/// headings underlined, paragraphs and list items wrapped to the width, <c>`code`</c> kept in backticks, links with
/// their address, tables as rows of cells.
/// </summary>
public static class TerminalProse
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public static string Render(string markdown, int width = 100)
    {
        var text = new StringBuilder();
        foreach (var block in Markdown.Parse(markdown, Pipeline)) Block(text, block, "", width);
        return text.ToString().TrimEnd() + "\n";
    }

    private static void Block(StringBuilder text, Block block, string indent, int width)
    {
        switch (block)
        {
            case HeadingBlock heading:
                var title = Inline(heading.Inline);
                text.Append(indent).AppendLine(title)
                    .Append(indent).AppendLine(new string(heading.Level == 1 ? '=' : '-', title.Length)).AppendLine();
                break;
            case ParagraphBlock paragraph:
                Wrap(text, Inline(paragraph.Inline), indent, indent, width);
                text.AppendLine();
                break;
            case ListBlock list:
                var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var bullet = list.IsOrdered ? $"{number++}. " : "- ";
                    var first = true;
                    foreach (var child in item)
                    {
                        if (child is ParagraphBlock p)
                            Wrap(text, Inline(p.Inline), first ? indent + bullet : indent + new string(' ', bullet.Length), indent + new string(' ', bullet.Length), width);
                        else Block(text, child, indent + new string(' ', bullet.Length), width);
                        first = false;
                    }
                }
                text.AppendLine();
                break;
            case CodeBlock code:
                foreach (var line in code.Lines.Lines.Take(code.Lines.Count)) text.Append(indent).Append("    ").AppendLine(line.ToString());
                text.AppendLine();
                break;
            case QuoteBlock quote:
                foreach (var child in quote) Block(text, child, indent + "> ", width);
                break;
            case Table table:
                foreach (var row in table.OfType<TableRow>())
                    text.Append(indent).AppendLine(string.Join(" | ", row.OfType<TableCell>().Select(cell =>
                        string.Join(" ", cell.OfType<ParagraphBlock>().Select(p => Inline(p.Inline))))));
                text.AppendLine();
                break;
            case ThematicBreakBlock:
                text.Append(indent).AppendLine(new string('-', 20)).AppendLine();
                break;
            case ContainerBlock container:
                foreach (var child in container) Block(text, child, indent, width);
                break;
        }
    }

    private static string Inline(ContainerInline? inline)
    {
        var text = new StringBuilder();
        for (var node = inline?.FirstChild; node is not null; node = node.NextSibling) Inline(text, node);
        return text.ToString();
    }

    private static void Inline(StringBuilder text, Markdig.Syntax.Inlines.Inline node)
    {
        switch (node)
        {
            case LiteralInline literal: text.Append(literal.Content.ToString()); break;
            case CodeInline code: text.Append('`').Append(code.Content).Append('`'); break;
            case LineBreakInline lineBreak: text.Append(lineBreak.IsHard ? "\n" : " "); break;
            case AutolinkInline link: text.Append(link.Url); break;
            case LinkInline link:
                var label = Inline(link);
                text.Append(label);
                if (!link.IsImage && link.Url is { Length: > 0 } url && url != label) text.Append(" (").Append(url).Append(')');
                break;
            case HtmlEntityInline entity: text.Append(entity.Transcoded.ToString()); break;
            case ContainerInline container: text.Append(Inline(container)); break;
        }
    }

    // Greedy word wrap; hard line breaks in the text are kept.
    private static void Wrap(StringBuilder text, string paragraph, string firstIndent, string indent, int width)
    {
        var prefix = firstIndent;
        foreach (var hardLine in paragraph.Split('\n'))
        {
            var line = new StringBuilder(prefix);
            var empty = true;
            foreach (var word in hardLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > width)
                {
                    text.AppendLine(line.ToString());
                    line.Clear().Append(indent);
                    empty = true;
                }
                if (!empty) line.Append(' ');
                line.Append(word);
                empty = false;
            }
            text.AppendLine(line.ToString().TrimEnd());
            prefix = indent;
        }
    }
}
