using System.Collections.Immutable;

namespace Walkthrough.Train.Corpus;

/// <summary>
/// A country and its capital. Only countries whose capital is not in dispute or split between cities are listed
/// (no South Africa, Bolivia, Israel, Indonesia). <see cref="Continent"/> is null where the country spans two.
/// </summary>
public sealed record Country(string Name, string Capital, string? Continent, bool TakesThe = false)
{
    /// <summary>The name as it stands inside a sentence: "France", "the Netherlands".</summary>
    public string InSentence => TakesThe ? "the " + Name : Name;

    public static readonly ImmutableArray<Country> All =
    [
        new("France", "Paris", "Europe"),
        new("Germany", "Berlin", "Europe"),
        new("Italy", "Rome", "Europe"),
        new("Spain", "Madrid", "Europe"),
        new("Portugal", "Lisbon", "Europe"),
        new("United Kingdom", "London", "Europe", TakesThe: true),
        new("Ireland", "Dublin", "Europe"),
        new("Netherlands", "Amsterdam", "Europe", TakesThe: true),
        new("Belgium", "Brussels", "Europe"),
        new("Switzerland", "Bern", "Europe"),
        new("Austria", "Vienna", "Europe"),
        new("Poland", "Warsaw", "Europe"),
        new("Czech Republic", "Prague", "Europe", TakesThe: true),
        new("Hungary", "Budapest", "Europe"),
        new("Greece", "Athens", "Europe"),
        new("Sweden", "Stockholm", "Europe"),
        new("Norway", "Oslo", "Europe"),
        new("Denmark", "Copenhagen", "Europe"),
        new("Finland", "Helsinki", "Europe"),
        new("Iceland", "Reykjavik", "Europe"),
        new("Ukraine", "Kyiv", "Europe"),
        new("Russia", "Moscow", null),
        new("Turkey", "Ankara", null),
        new("Egypt", "Cairo", "Africa"),
        new("Morocco", "Rabat", "Africa"),
        new("Nigeria", "Abuja", "Africa"),
        new("Ghana", "Accra", "Africa"),
        new("Kenya", "Nairobi", "Africa"),
        new("Ethiopia", "Addis Ababa", "Africa"),
        new("Japan", "Tokyo", "Asia"),
        new("China", "Beijing", "Asia"),
        new("South Korea", "Seoul", "Asia"),
        new("India", "New Delhi", "Asia"),
        new("Pakistan", "Islamabad", "Asia"),
        new("Thailand", "Bangkok", "Asia"),
        new("Vietnam", "Hanoi", "Asia"),
        new("Philippines", "Manila", "Asia", TakesThe: true),
        new("Iran", "Tehran", "Asia"),
        new("Saudi Arabia", "Riyadh", "Asia"),
        new("Australia", "Canberra", "Oceania"),
        new("New Zealand", "Wellington", "Oceania"),
        new("Canada", "Ottawa", "North America"),
        new("United States", "Washington, D.C.", "North America", TakesThe: true),
        new("Mexico", "Mexico City", "North America"),
        new("Cuba", "Havana", "North America"),
        new("Brazil", "Brasilia", "South America"),
        new("Argentina", "Buenos Aires", "South America"),
        new("Chile", "Santiago", "South America"),
        new("Peru", "Lima", "South America"),
        new("Colombia", "Bogota", "South America"),
    ];
}
