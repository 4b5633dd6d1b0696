using System.Collections.Immutable;

namespace Walkthrough.Train.Corpus;

/// <summary>World regions, coarse enough to guess a flight's length from the two ends.</summary>
public enum Region { Europe, NorthAmerica, SouthAmerica, Africa, MiddleEast, Asia, Oceania }

/// <summary>
/// A city with an airport, its region and its standard-time offset from UTC (minutes; no summer time), so that a
/// made-up flight's local arrival time is plausible: departure + flight time + the difference in offsets.
/// </summary>
public sealed record FlightCity(string Name, Region Region, int UtcOffset)
{
    public static readonly ImmutableArray<FlightCity> All =
    [
        new("Frankfurt", Region.Europe, 60), new("Munich", Region.Europe, 60), new("Berlin", Region.Europe, 60),
        new("Paris", Region.Europe, 60), new("Nice", Region.Europe, 60), new("London", Region.Europe, 0),
        new("Edinburgh", Region.Europe, 0), new("Dublin", Region.Europe, 0), new("Lisbon", Region.Europe, 0),
        new("Madrid", Region.Europe, 60), new("Barcelona", Region.Europe, 60), new("Amsterdam", Region.Europe, 60),
        new("Zurich", Region.Europe, 60), new("Vienna", Region.Europe, 60), new("Prague", Region.Europe, 60),
        new("Warsaw", Region.Europe, 60), new("Budapest", Region.Europe, 60), new("Rome", Region.Europe, 60),
        new("Milan", Region.Europe, 60), new("Athens", Region.Europe, 120), new("Istanbul", Region.Europe, 180),
        new("Copenhagen", Region.Europe, 60), new("Oslo", Region.Europe, 60), new("Stockholm", Region.Europe, 60),
        new("Helsinki", Region.Europe, 120), new("Reykjavik", Region.Europe, 0),
        new("New York", Region.NorthAmerica, -300), new("Boston", Region.NorthAmerica, -300), new("Atlanta", Region.NorthAmerica, -300),
        new("Miami", Region.NorthAmerica, -300), new("Toronto", Region.NorthAmerica, -300), new("Montreal", Region.NorthAmerica, -300),
        new("Chicago", Region.NorthAmerica, -360), new("Dallas", Region.NorthAmerica, -360), new("Mexico City", Region.NorthAmerica, -360),
        new("Denver", Region.NorthAmerica, -420), new("San Francisco", Region.NorthAmerica, -480), new("Los Angeles", Region.NorthAmerica, -480),
        new("Seattle", Region.NorthAmerica, -480), new("Vancouver", Region.NorthAmerica, -480),
        new("Sao Paulo", Region.SouthAmerica, -180), new("Buenos Aires", Region.SouthAmerica, -180), new("Lima", Region.SouthAmerica, -300),
        new("Cairo", Region.Africa, 120), new("Nairobi", Region.Africa, 180), new("Cape Town", Region.Africa, 120),
        new("Dubai", Region.MiddleEast, 240), new("Doha", Region.MiddleEast, 180),
        new("Delhi", Region.Asia, 330), new("Mumbai", Region.Asia, 330), new("Bangkok", Region.Asia, 420),
        new("Singapore", Region.Asia, 480), new("Hong Kong", Region.Asia, 480), new("Beijing", Region.Asia, 480),
        new("Shanghai", Region.Asia, 480), new("Manila", Region.Asia, 480), new("Seoul", Region.Asia, 540),
        new("Tokyo", Region.Asia, 540), new("Osaka", Region.Asia, 540),
        new("Sydney", Region.Oceania, 600), new("Melbourne", Region.Oceania, 600), new("Auckland", Region.Oceania, 720),
    ];

    public static FlightCity Named(string name) => All.Single(city => city.Name == name);

    /// <summary>Shortest and longest plausible flight time between two regions, in hours (one stop for the longest).</summary>
    public static (int Shortest, int Longest) Hours(Region a, Region b)
    {
        if (a > b) (a, b) = (b, a);
        return (a, b) switch
        {
            (Region.Europe, Region.Europe) => (1, 4),
            (Region.NorthAmerica, Region.NorthAmerica) => (1, 6),
            (Region.SouthAmerica, Region.SouthAmerica) => (2, 5),
            (Region.Africa, Region.Africa) => (3, 8),
            (Region.MiddleEast, Region.MiddleEast) => (1, 2),
            (Region.Asia, Region.Asia) => (1, 6),
            (Region.Oceania, Region.Oceania) => (1, 4),
            (Region.Europe, Region.NorthAmerica) => (7, 11),
            (Region.Europe, Region.SouthAmerica) => (11, 14),
            (Region.Europe, Region.Africa) => (4, 12),
            (Region.Europe, Region.MiddleEast) => (5, 7),
            (Region.Europe, Region.Asia) => (8, 13),
            (Region.Europe, Region.Oceania) => (20, 24),
            (Region.NorthAmerica, Region.SouthAmerica) => (6, 11),
            (Region.NorthAmerica, Region.Africa) => (12, 16),
            (Region.NorthAmerica, Region.MiddleEast) => (12, 15),
            (Region.NorthAmerica, Region.Asia) => (11, 16),
            (Region.NorthAmerica, Region.Oceania) => (13, 17),
            (Region.SouthAmerica, Region.Africa) => (9, 13),
            (Region.SouthAmerica, Region.MiddleEast) => (14, 16),
            (Region.SouthAmerica, Region.Asia) => (20, 26),
            (Region.SouthAmerica, Region.Oceania) => (13, 16),
            (Region.Africa, Region.MiddleEast) => (4, 9),
            (Region.Africa, Region.Asia) => (8, 12),
            (Region.Africa, Region.Oceania) => (11, 14),
            (Region.MiddleEast, Region.Asia) => (4, 9),
            (Region.MiddleEast, Region.Oceania) => (12, 14),
            _ => (5, 11), // Asia and Oceania
        };
    }
}
