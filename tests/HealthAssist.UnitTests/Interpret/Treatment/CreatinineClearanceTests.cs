using HealthAssist.Interpret.Treatment;

namespace HealthAssist.UnitTests.Interpret.Treatment;

public sealed class CreatinineClearanceTests
{
    [Theory]
    [InlineData(80, 50, true, 200, 15.66)] // (60 × 50 × 0.85) / (72 × 2.262 mg/dL)
    [InlineData(40, 80, false, 88.42, 111.11)] // creatinine 1 mg/dL: (100 × 80) / 72
    [InlineData(40, 80, true, 88.42, 94.44)] // the same woman: × 0.85
    public void CockcroftGault_GivesTheTextbookValue(double age, double weight, bool female, double creatinine, double expected)
    {
        Assert.Equal(expected, CreatinineClearance.CockcroftGault(age, weight, female, creatinine), 2);
    }

    [Fact]
    public void Estimate_FromTheRecord_UsesAgeSexLatestWeightAndCreatinine()
    {
        var inputs = new TreatmentCaseBuilder().Aged(80).Female().Weighing(50).SerumCreatinine(200).Inputs();

        var clearance = CreatinineClearance.Estimate(inputs);

        Assert.True(clearance.IsKnown);
        Assert.Equal(15.66, clearance.MillilitresPerMinute!.Value, 2);
        Assert.Empty(clearance.Missing);
        Assert.Equal(2, clearance.Sources.Count);
        Assert.Contains("female", clearance.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WithoutWeight_SaysWhatIsMissing()
    {
        var clearance = CreatinineClearance.Estimate(new TreatmentCaseBuilder().SerumCreatinine(120).Inputs());

        Assert.False(clearance.IsKnown);
        Assert.Equal(["weight"], clearance.Missing);
    }

    [Fact]
    public void Estimate_ForAGeneralisedAgeOf90_WarnsThatTheClearanceMayBeLower()
    {
        var clearance = CreatinineClearance.Estimate(new TreatmentCaseBuilder().Aged(90).Weighing(60).SerumCreatinine(100).Inputs());

        Assert.Contains("may be lower", clearance.Basis, StringComparison.Ordinal);
    }
}
