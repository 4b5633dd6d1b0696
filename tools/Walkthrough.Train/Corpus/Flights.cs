using System.Globalization;

namespace Walkthrough.Train.Corpus;

/// <summary>
/// Family 6, after the MPT blog's first task: a flight record (a sentence, labelled lines, or a departures board)
/// and questions answered from it, as plain text or as MPT-template pairs. Every answer follows from the record:
/// a delayed flight leaves later, a cancelled one does not leave at all.
/// </summary>
internal static class Flights
{
    private static readonly string[][] LabelSets =
    [
        ["Flight", "Airline", "From", "To", "Departure", "Arrival", "Gate", "Status"],
        ["Flight number", "Airline", "Origin", "Destination", "Departs", "Arrives", "Gate", "Status"],
        ["Flight", "Operated by", "From", "To", "Scheduled departure", "Scheduled arrival", "Gate", "Status"],
    ];

    private static readonly string[] Layouts = ["Q: {0}\nA: {1}", "Question: {0}\nAnswer: {1}", "{0} {1}", "{0}\n{1}"];

    private static readonly string[] InstructionIntros =
    [
        "Answer the question using the flight information[ below|].", "Here is [some|the] flight information.",
        "Read the flight record and answer the question.", "Use this flight information to answer the question.", "",
    ];

    private enum Ask { Departure, Arrival, Gate, Status, Destination, Origin, Airline, GateCheck }

    public static string Write(CorpusRandom random) => random.Percent(50) ? Plain(random) : Instruction(random);

    /// <summary>A record, then one to three questions with their answers.</summary>
    private static string Plain(CorpusRandom random)
    {
        if (random.Percent(20)) return BoardDocument(random, instruct: false);
        var flight = FlightRecord.Random(random);
        var layout = random.Pick(Layouts);
        var asks = random.Sample(Enum.GetValues<Ask>(), random.Between(1, 3));
        var pairs = asks.Select(ask => Phrase.Expand(random, layout, Question(random, flight, ask), Answer(random, flight, ask))).ToList();
        var record = Record(random, flight);
        return random.Percent(15) && !record.Contains('\n')
            ? record // the record alone, as a sentence or a compact line
            : record + "\n" + string.Join("\n", pairs);
    }

    /// <summary>The record and a question as the instruction, the answer as the response.</summary>
    private static string Instruction(CorpusRandom random)
    {
        if (random.Percent(20)) return BoardDocument(random, instruct: true);
        var flight = FlightRecord.Random(random);
        var record = Record(random, flight);
        var intro = Phrase.Expand(random, random.Pick(InstructionIntros));
        var head = intro.Length == 0 ? record : intro + "\n" + record;
        switch (random.Below(100))
        {
            case < 10:
                return InstructTemplate.Format(
                    Phrase.Expand(random, "[Summarize|Describe] this flight [information |]in one sentence.") + "\n" + record,
                    Sentence(random, flight));
            case < 18:
                return InstructTemplate.Format(
                    Phrase.Expand(random, "[Extract the departure time and the gate[ of this flight|].|What are the departure time and the gate[ of this flight|]?]") + "\n" + record,
                    random.Percent(50)
                        ? "Departure: " + flight.DepartureTime + "\nGate: " + flight.Gate
                        : "The departure time is " + flight.DepartureTime + " and the gate is " + flight.Gate + ".");
            default:
                var ask = random.Pick(Enum.GetValues<Ask>());
                var question = Question(random, flight, ask);
                return InstructTemplate.Format(head + "\n" + (random.Percent(30) ? "Question: " + question : question), Answer(random, flight, ask));
        }
    }

    /// <summary>The record in one of three forms: a sentence, labelled lines, or one compact line.</summary>
    public static string Record(CorpusRandom random, FlightRecord flight)
    {
        switch (random.Below(3))
        {
            case 0:
                return Sentence(random, flight);
            case 1:
                var labels = random.Pick(LabelSets);
                var state = flight.Status == FlightStatus.Delayed
                    ? Phrase.Expand(random, "[delayed by {0}|delayed, {0}|Delayed {0}]", flight.DelayText)
                    : random.Percent(50) ? CorpusText.Capitalize(flight.StatusText) : flight.StatusText;
                string[] values = [flight.Number, flight.Airline, flight.From, flight.To, flight.DepartureTime, flight.ArrivalTime, flight.Gate, state];
                var lines = labels.Zip(values, (label, value) => label + ": " + value).ToList();
                if (random.Percent(35)) lines.RemoveAt(1); // no airline line
                return string.Join("\n", lines);
            default:
                var status = flight.StatusText + (flight.Status == FlightStatus.Delayed ? " " + flight.DelayText : "");
                string[] parts = [flight.Number, flight.From, flight.To, flight.DepartureTime, flight.ArrivalTime, flight.Gate, status];
                return random.Percent(50) // built by hand: '|' is Phrase's own separator
                    ? string.Format(CultureInfo.InvariantCulture, "{0} | {1} to {2} | departs {3} | arrives {4} | gate {5} | {6}", parts)
                    : string.Format(CultureInfo.InvariantCulture, "{0} {1} - {2}, dep {3}, arr {4}, gate {5}, {6}", parts);
        }
    }

    /// <summary>"Flight LH 454 from Frankfurt to San Francisco departs at 13:35 from gate B22 ..." plus its status.</summary>
    private static string Sentence(CorpusRandom random, FlightRecord flight)
    {
        var trip = Phrase.Expand(random,
            "[Flight {0}|{1} flight {0}] from {2} to {3} [departs|leaves] at {4} from gate {5}[ and arrives at {6}|].",
            flight.Number, flight.Airline, flight.From, flight.To, flight.DepartureTime, flight.Gate, flight.ArrivalTime);
        var status = flight.Status switch
        {
            FlightStatus.OnTime => Phrase.Expand(random, "[It is on time.|The flight is on time.|It is running on time.]"),
            FlightStatus.Delayed => Phrase.Expand(random, "[It is|The flight is] delayed by {0}[, so it now departs at {1}|].", flight.DelayText, flight.ExpectedDeparture),
            FlightStatus.Boarding => Phrase.Expand(random, "[It is boarding now.|Boarding has started.|The flight is now boarding.]"),
            _ => Phrase.Expand(random, "[The flight is cancelled.|It has been cancelled.]"),
        };
        return trip + " " + status;
    }

    private static string Question(CorpusRandom random, FlightRecord flight, Ask ask) => Phrase.Expand(random, ask switch
    {
        Ask.Departure => "[When does [it|the flight|flight {0}] depart?|What time does [it|flight {0}] leave?|What is the departure time[ of flight {0}|]?|When does it leave?]",
        Ask.Arrival => "[When does [it|the flight|flight {0}] arrive[ in {1}|]?|What time does [it|flight {0}] land?|What is the arrival time?]",
        Ask.Gate => "[Which gate does [it|flight {0}] leave from?|What is the gate[ for flight {0}|]?|Where do I board [it|flight {0}]?]",
        Ask.Status => "[Is [it|the flight|flight {0}] on time?|What is the status of [the flight|flight {0}]?]",
        Ask.Destination => "[Where does [it|flight {0}] fly to?|What is the destination[ of flight {0}|]?|Where is [it|flight {0}] going?]",
        Ask.Origin => "[Which city does [it|flight {0}] leave from?|Where does [it|flight {0}] start?|What is the origin of flight {0}?]",
        Ask.Airline => "[Which airline operates [it|flight {0}]?|Who operates flight {0}?|Which airline is it?]",
        _ => "Does [it|flight {0}] leave from gate {2}?",
    }, flight.Number, flight.To, GateToCheck(flight));

    private static string Answer(CorpusRandom random, FlightRecord flight, Ask ask)
    {
        var cancelled = flight.Status == FlightStatus.Cancelled;
        var template = ask switch
        {
            Ask.Departure => flight.Status switch
            {
                FlightStatus.Cancelled => "[It does not depart: flight {0} is cancelled.|Flight {0} is cancelled, so it does not depart.]",
                FlightStatus.Delayed => "[It was scheduled for {1} but is delayed by {4}, so it now departs at {5}.|It now departs at {5}, {4} later than the planned {1}.]",
                FlightStatus.Boarding => "[It departs at {1}; boarding has already started.|It departs at {1} and is boarding now.]",
                _ => "[It departs at {1}.|Flight {0} departs at {1}.|The departure time is {1}.|At {1}.]",
            },
            Ask.Arrival => flight.Status switch
            {
                FlightStatus.Cancelled => "It does not arrive: the flight is cancelled.",
                FlightStatus.Delayed => "It was due to arrive [in {6} |]at {2}, but the flight is delayed by {4}.",
                _ => "[It arrives [in {6} |]at {2}.|The arrival time is {2}.|It lands at {2}.]",
            },
            Ask.Gate => cancelled
                ? "It was planned for gate {3}, but the flight is cancelled."
                : "[It leaves from gate {3}.|Gate {3}.|The gate is {3}.|From gate {3}.]",
            Ask.Status => flight.Status switch
            {
                FlightStatus.OnTime => "[Yes, it is on time.|It is on time.|The flight is on time.]",
                FlightStatus.Delayed => "[No, it is delayed by {4}.|It is delayed by {4}.]",
                FlightStatus.Boarding => "[Yes, it is boarding now at gate {3}.|It is boarding now.]",
                _ => "[No, it is cancelled.|It is cancelled.|The flight is cancelled.]",
            },
            Ask.Destination => "[It flies to {6}.|To {6}.|The destination is {6}.|Flight {0} goes to {6}.]",
            Ask.Origin => "[It leaves from {7}.|From {7}.|It starts in {7}.]",
            Ask.Airline => "[It is operated by {8}.|{8}.|{8} operates it.]",
            _ => null,
        };
        template ??= GateToCheck(flight) == flight.Gate
            ? "Yes, it leaves from gate {3}."
            : "No, it leaves from gate {3}.";
        return Phrase.Expand(random, template, flight.Number, flight.DepartureTime, flight.ArrivalTime, flight.Gate,
            flight.DelayText, flight.ExpectedDeparture, flight.To, flight.From, flight.Airline);
    }

    /// <summary>
    /// The gate a yes/no question asks about: the right one or a neighbour, decided by the flight alone so that
    /// the question and its answer agree.
    /// </summary>
    private static string GateToCheck(FlightRecord flight)
    {
        var number = int.Parse(flight.Gate[1..], CultureInfo.InvariantCulture);
        return flight.Departure % 10 == 0 ? flight.Gate : flight.Gate[0] + CorpusText.Number(number == 60 ? 59 : number + 1);
    }

    /// <summary>A departures board of two to four flights from one city, and a question about one of them.</summary>
    private static string BoardDocument(CorpusRandom random, bool instruct)
    {
        var city = random.Pick(FlightCity.All);
        var count = random.Between(2, 4);
        var flights = new List<FlightRecord>();
        while (flights.Count < count)
        {
            var flight = FlightRecord.Random(random, from: city);
            if (flights.All(other => other.To != flight.To)) flights.Add(flight);
        }
        flights = [.. flights.OrderBy(flight => flight.Departure)]; // a stable sort: equal times keep their order
        var rows = flights.Select(flight => flight.DepartureTime + " " + flight.Number + " to " + flight.To + ", gate " + flight.Gate + ", " +
            (flight.Status == FlightStatus.Delayed ? "delayed " + flight.DelayText : flight.StatusText));
        var board = Phrase.Expand(random, "[Departures from {0}:|{0} departures:|Departure board, {0}:]", city.Name) + "\n" + string.Join("\n", rows);

        var chosen = random.Pick(flights);
        var (question, answer) = random.Below(4) switch
        {
            0 => (Phrase.Expand(random, "Which flight goes to {0}?", chosen.To), Phrase.Expand(random, "[Flight {0} goes to {1}.|{0}.]", chosen.Number, chosen.To)),
            1 => (Phrase.Expand(random, "What time does the flight to {0} leave?", chosen.To), Answer(random, chosen, Ask.Departure)),
            2 => (Phrase.Expand(random, "Which gate does the flight to {0} leave from?", chosen.To), Answer(random, chosen, Ask.Gate)),
            _ => (Phrase.Expand(random, "Is the flight to {0} on time?", chosen.To), Answer(random, chosen, Ask.Status)),
        };
        return instruct
            ? InstructTemplate.Format(board + "\n" + question, answer)
            : board + "\n" + Phrase.Expand(random, random.Pick(Layouts), question, answer);
    }
}
