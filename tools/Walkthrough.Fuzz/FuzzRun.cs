using Walkthrough.Fuzz.Families;

namespace Walkthrough.Fuzz;

/// <summary>
/// Runs cases in this process, one after the other: what a worker does. The test suite's bounded slice runs them
/// through the <see cref="Supervisor"/> too, in a worker where no other thread allocates (see <see cref="Worker"/>).
/// </summary>
internal sealed class FuzzRun : IDisposable
{
    private readonly int _seed;
    private readonly IReadOnlyDictionary<Family, CaseSource> _sources;
    private readonly CaseRunner _runner;
    private readonly string _scratch;
    private readonly (string Name, string? Value)[] _environment;

    public FuzzRun(int seed, string baseModel, string? traces = null)
    {
        _seed = seed;
        _scratch = Directory.CreateTempSubdirectory("walkthrough-fuzz-").FullName;
        // Hub ids must never reach the network, and a cache must never be the user's (put back when done).
        _environment = [("HF_HUB_OFFLINE", Environment.GetEnvironmentVariable("HF_HUB_OFFLINE")), ("HF_HUB_CACHE", Environment.GetEnvironmentVariable("HF_HUB_CACHE"))];
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", "1");
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", Path.Combine(_scratch, "hub"));
        var model = BaseModel.Named(baseModel);
        _sources = CaseSource.For(model);
        _runner = new CaseRunner(model, _scratch, traces);
    }

    public FuzzCase Make(CaseId id) => _sources[id.Family].Make(id.IndexInFamily, id.Random(_seed));

    public CaseResult Run(CaseId id)
    {
        FuzzCase fuzz;
        try
        {
            fuzz = Make(id);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Making case {id} failed: the fuzzer has a bug.", e);
        }
        return _runner.Run(id, fuzz);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _environment) Environment.SetEnvironmentVariable(name, value);
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // a file still open on Windows: the temp folder is cleaned later
        }
    }
}
