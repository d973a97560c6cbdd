using System.Security.Cryptography;
using System.Text;
using HealthAssist.Deidentify;
using HealthAssist.Security;

namespace HealthAssist.UnitTests.Security;

public sealed class DeploymentSecretTests
{
    public static TheoryData<string> WeakSecrets => new()
    {
        Convert.ToBase64String(new byte[32]),
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)),
        Convert.ToBase64String(Encoding.ASCII.GetBytes("changeme-changeme-changeme-change")),
        Convert.ToBase64String(Encoding.ASCII.GetBytes("my-healthassist-production-key-2026!")),
        Convert.ToBase64String(Enumerable.Repeat(new byte[] { 1, 2, 3, 4 }, 10).SelectMany(b => b).ToArray()),
        "not base64 at all!",
    };

    [Theory]
    [MemberData(nameof(WeakSecrets))]
    public void FromBase64_RefusesWeakOrMalformedMaterial(string text)
    {
        var error = Assert.Throws<WeakKeyException>(() => DeploymentSecret.FromBase64(text));
        Assert.StartsWith("Deployment secret refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBase64_AcceptsRandomMaterialAndRoundTrips()
    {
        var generated = DeploymentSecret.Generate();

        var loaded = DeploymentSecret.FromBase64(generated.ToBase64());

        Assert.Equal(generated.Derive("x", [1]), loaded.Derive("x", [1]));
    }

    [Fact]
    public void Derive_WithDifferentPurposes_GivesUnrelatedValues()
    {
        var secret = DeploymentSecret.Generate();

        Assert.NotEqual(secret.Derive("patient-pseudonym", [1, 2]), secret.Derive("date-offset", [1, 2]));
    }

    [Fact]
    public void PatientPseudonym_IsStablePerKeyAndDiffersAcrossKeys()
    {
        var key = DeploymentSecret.Generate();
        var other = DeploymentSecret.Generate();

        var first = PatientPseudonym.Derive(key, "urn:oid:1.2.3", "MRN-CANARY-4711");
        var again = PatientPseudonym.Derive(key, "urn:oid:1.2.3", "MRN-CANARY-4711");
        var elsewhere = PatientPseudonym.Derive(other, "urn:oid:1.2.3", "MRN-CANARY-4711");

        Assert.Equal(first, again);
        Assert.NotEqual(first, elsewhere);
        Assert.DoesNotContain("4711", first.Value, StringComparison.Ordinal);
        Assert.True(PatientPseudonym.TryParse(first.Value, out var parsed));
        Assert.Equal(first, parsed);
    }

    [Theory]
    [InlineData("MRN-CANARY-4711")]
    [InlineData("psn-UPPERCASEISNOTBASE32LOWERCASE1")]
    [InlineData("psn-short")]
    [InlineData(null)]
    public void PatientPseudonym_TryParse_RefusesAnythingButThePseudonymFormat(string? text)
    {
        Assert.False(PatientPseudonym.TryParse(text, out _));
    }
}
