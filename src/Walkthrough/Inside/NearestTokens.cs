using System.Globalization;
using System.Text;
using Walkthrough.Display;

namespace Walkthrough.Inside;

/// <summary>A token whose embedding points the same way as another's: cosine 1 = same direction, 0 = unrelated.</summary>
public sealed record Neighbour(int Id, string Text, double Cosine);

/// <summary>The tokens nearest to one token by cosine similarity, over the whole embedding matrix.</summary>
public sealed record NearestTokens(TokenVector Token, IReadOnlyList<Neighbour> Nearest)
{
    public override string ToString()
    {
        var text = new StringBuilder($"nearest to {Token.Text} (id {Token.Id}, length {Token.Norm.ToString("0.000", CultureInfo.InvariantCulture)}) by cosine similarity\n");
        for (var i = 0; i < Nearest.Count; i++)
            text.AppendLine($"  {i + 1,3}. {TextGrid.Fit(Nearest[i].Text, 16)} id {Nearest[i].Id,6}  cosine {Nearest[i].Cosine.ToString("0.000", CultureInfo.InvariantCulture),6}");
        return text.ToString().TrimEnd();
    }

    public string ToHtml()
    {
        var html = new StringBuilder($"<table style=\"{Html.TableStyle}\"><caption style=\"text-align:left;padding:4px 0\">" +
            $"Tokens whose embeddings point most nearly the same way as {Html.Encode(Token.Text)}'s</caption>");
        html.Append($"<tr><th style=\"{Html.CellStyle}\">rank</th><th style=\"{Html.CellStyle}\">token</th><th style=\"{Html.CellStyle}\">id</th><th style=\"{Html.CellStyle}\">cosine</th></tr>");
        for (var i = 0; i < Nearest.Count; i++)
            html.Append($"<tr><td style=\"{Html.CellStyle}\">{i + 1}</td><td style=\"{Html.CellStyle}\">{Html.Encode(Nearest[i].Text)}</td>" +
                $"<td style=\"{Html.CellStyle}\">{Nearest[i].Id}</td><td style=\"{Html.CellStyle};{Heat.Style(Nearest[i].Cosine)}\">{Nearest[i].Cosine.ToString("0.000", CultureInfo.InvariantCulture)}</td></tr>");
        return html.Append("</table>").ToString();
    }
}
