using Walkthrough.Tests.Hub;

namespace Walkthrough.Tests.Repository;

[Collection(EnvironmentVariables.Name)]
public sealed class DoctorTests
{
    [Fact]
    public void The_doctor_checks_everything_a_lesson_needs_and_never_prints_the_token()
    {
        var previous = Environment.GetEnvironmentVariable("HF_TOKEN");
        Environment.SetEnvironmentVariable("HF_TOKEN", "hf_secret_value_for_the_test");
        try
        {
            var doctor = Doctor.Check();
            var text = doctor.ToString() + doctor.ToHtml();

            Assert.Equal([".NET", "TorchSharp", "CPU threads", "CUDA", "NVML", "Hugging Face cache", "Hugging Face token", "Disk"], doctor.Checks.Select(c => c.What));
            Assert.True(doctor.Checks.Single(c => c.What == "TorchSharp").Ok, text);
            Assert.Matches(@"^\d+ of \d+ cores?: ", doctor.Checks.Single(c => c.What == "CPU threads").Found);
            Assert.EndsWith($"decode products: {Walkthrough.Architectures.RowDots.Kernel}", doctor.Checks.Single(c => c.What == "CPU threads").Found);
            Assert.Contains("HF_TOKEN is set", text);
            Assert.DoesNotContain("hf_secret_value_for_the_test", text);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_TOKEN", previous);
        }
    }
}
