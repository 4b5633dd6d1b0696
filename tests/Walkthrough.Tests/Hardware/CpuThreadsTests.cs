using Walkthrough.Hardware;

namespace Walkthrough.Tests.Hardware;

public sealed class CpuThreadsTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(s => s.Name == name).Value;

    [Theory]
    [InlineData(0.1, 2)]
    [InlineData(0.6, 1)]
    [InlineData(1.4, 1)]
    [InlineData(11.3, 1)]
    [InlineData(2.2, 6)]
    public void The_count_is_the_cores_the_last_minutes_load_leaves_free_and_at_least_one(double load, int expected)
    {
        var cores = expected == 6 ? 8 : 2;
        var threads = CpuThreads.Choose(Environment(), cores, load);

        Assert.Equal(expected, threads.Count);
        Assert.Equal(cores, threads.Cores);
        Assert.Contains("load average", threads.Reason);
    }

    [Fact]
    public void A_count_set_in_the_environment_wins_and_says_where_it_came_from()
    {
        Assert.Equal(3, CpuThreads.Choose(Environment(("OMP_NUM_THREADS", "3")), 2, 0).Count);
        var ours = CpuThreads.Choose(Environment(("WALKTHROUGH_THREADS", "1"), ("OMP_NUM_THREADS", "4")), 8, 0);
        Assert.Equal(1, ours.Count);
        Assert.Equal("set by WALKTHROUGH_THREADS", ours.Reason);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("two")]
    [InlineData("-1")]
    public void A_count_that_is_not_a_whole_number_of_at_least_one_is_refused_by_name(string value)
    {
        var error = Assert.Throws<WalkthroughException>(() => CpuThreads.Choose(Environment((CpuThreads.Variable, value)), 2, 0));
        Assert.Contains($"{CpuThreads.Variable}={value}", error.Message);
    }

    [Fact]
    public void Without_a_load_average_every_core_is_used()
    {
        Assert.Equal(4, CpuThreads.Choose(Environment(), 4, null).Count);
    }
}
