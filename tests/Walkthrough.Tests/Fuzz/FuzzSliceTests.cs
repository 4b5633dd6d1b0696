using Walkthrough.Fuzz;
using Walkthrough.Fuzz.Families;
using Walkthrough.Tests.Hub;

namespace Walkthrough.Tests.Fuzz;

/// <summary>
/// The bounded slice of the fuzz campaign that tools/Walkthrough.Fuzz runs by the thousand: 60 damaged folders of each
/// family, made from the bundled model (its "mini" cut, for speed) with seed 1, run in a worker process as the tool
/// runs them, so a case that aborts the process is that case's crash, not the test run's. The collection keeps other
/// tests from competing for the CPU.
/// </summary>
[Collection(EnvironmentVariables.Name)]
public sealed class FuzzSliceTests
{
    [Fact]
    public void Every_damaged_input_ends_in_a_clear_refusal_or_a_correct_load()
    {
        var results = new Supervisor(new FuzzOptions { Cases = 60 * FamilyNames.All.Length, Seed = 1, Base = "mini" }).Run(_ => { });

        Assert.Equal(60 * FamilyNames.All.Length, results.Count);
        var defects = results.Where(r => r.IsDefect).ToList();
        Assert.True(defects.Count == 0, $"{defects.Count} of {results.Count} cases ended in a defect:\n{string.Join("\n", defects)}\n\n{FuzzTable.Render(results, verbose: false)}");
        foreach (var family in FamilyNames.All)
            Assert.Contains(results, r => r.Family == family && r.Outcome == Outcome.CleanRefusal);
        Assert.Contains(results, r => r.Expect == Expect.Load && r.Outcome == Outcome.CorrectLoad);
    }

    [Fact]
    public void A_renamed_key_the_kit_does_not_read_still_loads_and_runs()
    {
        // Case #4946 of the 5,000-case campaign crashed once inside libtorch: not its input (alone it loads every time) but a
        // garbage collection, started by another thread, finalizing a Scalar TorchSharp made for a libtorch call still running
        // (see Architectures/Scalars.cs).
        var result = Assert.Single(new Supervisor(new FuzzOptions { Cases = 5000, Seed = 1, Base = "mini", Only = [4946] }).Run(_ => { }));

        Assert.Equal("tokenizer_config.json: sp_model_kwargs renamed to \"SP_MODEL_KWARGS\"", $"{result.Family.Name()}: {result.Description}");
        Assert.Equal(Outcome.CorrectLoad, result.Outcome);
    }

    [Fact]
    public void Cases_are_the_same_from_the_same_seed_and_differ_from_another()
    {
        var model = BaseModel.Named("mini");
        var ids = CaseId.For(70, FamilyNames.All);
        string[] Describe(int seed)
        {
            var sources = CaseSource.For(model);
            return [.. ids.Select(id => sources[id.Family].Make(id.IndexInFamily, id.Random(seed)).Description)];
        }

        var first = Describe(1);
        Assert.Equal(first, Describe(1));
        Assert.NotEqual(first, Describe(2));
    }

    [Fact]
    public void The_judge_calls_bad_input_that_loads_silently_accepted()
    {
        // The pristine folder, claimed to be damaged: if it loads, the fuzzer must say so — it is not a judge that always agrees.
        var pretended = new FuzzCase("nothing changed", Judgement.Refuse("pretended damage"), ["config.json"], _ => { });
        var harmlessRefused = new FuzzCase("config.json emptied, called harmless", Judgement.Harmless, ["config.json"],
            folder => File.WriteAllText(Path.Combine(folder, "config.json"), ""));
        var scratch = Directory.CreateTempSubdirectory("walkthrough-judge-").FullName;
        try
        {
            var runner = new CaseRunner(BaseModel.Named("mini"), scratch);

            Assert.Equal(Outcome.SilentlyAccepted, runner.Run(new CaseId(0, Family.Config, 0), pretended).Outcome);
            Assert.Equal(Outcome.WronglyRefused, runner.Run(new CaseId(1, Family.Config, 1), harmlessRefused).Outcome);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
