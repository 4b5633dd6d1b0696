namespace Walkthrough.Train.Corpus;

public enum FlightStatus { OnTime, Delayed, Boarding, Cancelled }

/// <summary>
/// One made-up departure, like the MPT blog's first task: the airlines and their codes are real, the flights are
/// not, though their times are plausible. Times are minutes after midnight, local to each airport.
/// </summary>
public sealed record FlightRecord(
    string Airline,
    string Number,
    string From,
    string To,
    int Departure,
    int Arrival,
    string Gate,
    FlightStatus Status,
    int DelayMinutes)
{
    private static readonly (string Name, string Code, string Hub)[] Airlines =
    [
        ("Lufthansa", "LH", "Frankfurt"), ("United Airlines", "UA", "Chicago"), ("Air France", "AF", "Paris"),
        ("British Airways", "BA", "London"), ("KLM", "KL", "Amsterdam"), ("Delta Air Lines", "DL", "Atlanta"),
        ("American Airlines", "AA", "Dallas"), ("Emirates", "EK", "Dubai"), ("Singapore Airlines", "SQ", "Singapore"),
        ("Qantas", "QF", "Sydney"), ("Air Canada", "AC", "Toronto"), ("Japan Airlines", "JL", "Tokyo"),
        ("Iberia", "IB", "Madrid"), ("Swiss", "LX", "Zurich"), ("Turkish Airlines", "TK", "Istanbul"),
        ("SAS", "SK", "Copenhagen"), ("Finnair", "AY", "Helsinki"), ("Aer Lingus", "EI", "Dublin"),
        ("Cathay Pacific", "CX", "Hong Kong"), ("Qatar Airways", "QR", "Doha"), ("Austrian Airlines", "OS", "Vienna"),
        ("TAP Air Portugal", "TP", "Lisbon"), ("Korean Air", "KE", "Seoul"), ("Air India", "AI", "Delhi"),
    ];

    private static readonly (FlightStatus Status, int Weight)[] Statuses =
    [
        (FlightStatus.OnTime, 45), (FlightStatus.Delayed, 25), (FlightStatus.Boarding, 20), (FlightStatus.Cancelled, 10),
    ];

    /// <summary>A random flight of a random airline, to or from its hub; from the given city when there is one.</summary>
    public static FlightRecord Random(CorpusRandom random, FlightCity? from = null)
    {
        var (airline, code, hubName) = random.Pick(Airlines);
        var hub = FlightCity.Named(hubName);
        FlightCity other;
        do other = random.Pick(FlightCity.All); while (other == hub || other == from);
        var (origin, destination) = from is not null
            ? (from, hub != from ? hub : other) // from a given city: home to the airline's hub
            : random.Percent(55) ? (hub, other) : (other, hub);
        var (shortest, longest) = FlightCity.Hours(origin.Region, destination.Region);
        var minutesInAir = random.Between(shortest * 12, longest * 12) * 5;
        var departure = random.Between(5 * 12, 23 * 12 + 6) * 5; // 05:00 to 23:30, on the five minutes
        var status = random.Weighted(Statuses);
        return new FlightRecord(
            airline,
            code + " " + CorpusText.Number(random.Percent(70) ? random.Between(10, 999) : random.Between(1000, 9899)),
            origin.Name,
            destination.Name,
            departure,
            departure + minutesInAir + destination.UtcOffset - origin.UtcOffset, // local time at the destination
            ((char)('A' + random.Below(6))).ToString() + CorpusText.Number(random.Between(1, 60)),
            status,
            status == FlightStatus.Delayed ? random.Between(1, 36) * 5 : 0);
    }

    public string DepartureTime => CorpusText.Time(Departure);

    public string ArrivalTime => CorpusText.Time(Arrival);

    /// <summary>When it leaves now: the timetable plus any delay.</summary>
    public string ExpectedDeparture => CorpusText.Time(Departure + DelayMinutes);

    public string StatusText => Status switch
    {
        FlightStatus.OnTime => "on time",
        FlightStatus.Delayed => "delayed",
        FlightStatus.Boarding => "boarding",
        _ => "cancelled",
    };

    /// <summary>"40 minutes", "1 hour", "2 hours 15 minutes".</summary>
    public string DelayText
    {
        get
        {
            var (hours, minutes) = (DelayMinutes / 60, DelayMinutes % 60);
            var hourText = hours == 0 ? "" : CorpusText.Number(hours) + (hours == 1 ? " hour" : " hours");
            var minuteText = minutes == 0 ? "" : CorpusText.Number(minutes) + " minutes";
            return hourText.Length > 0 && minuteText.Length > 0 ? hourText + " " + minuteText : hourText + minuteText;
        }
    }
}
