using HealthAssist.Encode.Inputs;

namespace HealthAssist.UnitTests.Encode;

public sealed class NoteHasherTests
{
    private static readonly NoteHasher Hasher = new(new NoteHashingOptions { Dimension = 1_024, MaxNgram = 2 });

    [Fact]
    public void Hash_CountsWordsAndWordPairs_CaseInsensitively()
    {
        var counts = Hasher.Hash(["Crackles RIGHT base, crackles right base."])!;

        Assert.Equal(2, counts[Hasher.Bucket("crackles")]);
        Assert.Equal(2, counts[Hasher.Bucket("right base")]);
        Assert.Equal(11, counts.Sum()); // 6 words + 5 pairs
    }

    [Fact]
    public void Hash_TurnsEveryNumberIntoOneToken_SoShiftedDatesAndValuesDoNotSpreadOverBuckets()
    {
        var a = Hasher.Hash(["SpO2 88 % on 2025-03-04"])!;
        var b = Hasher.Hash(["SpO2 93 % on 2026-11-30"])!;

        Assert.Equal(a, b);
        Assert.True(a[Hasher.Bucket("#")] >= 4);
    }

    [Fact]
    public void Hash_IsNullForTextWithoutTokens_AndTheSameEveryRun()
    {
        Assert.Null(Hasher.Hash(["", " .,;- "]));
        Assert.Equal(Hasher.Hash(["wheeze and sputum"]), new NoteHasher(Hasher.Options).Hash(["wheeze and sputum"]));
    }

    [Fact]
    public void Bucket_IsFnv1aOfTheUtf8Text_TheContractTheTrainingDataWasMadeWith()
    {
        // FNV-1a 32-bit of "a" is 0xE40C292C (a published test vector); 0xE40C292C mod 1024 = 300.
        Assert.Equal(0xE40C292Cu % 1_024, (uint)Hasher.Bucket("a"));
    }

    [Fact]
    public void Options_OutOfRange_AreRefused() =>
        Assert.Throws<InvalidOperationException>(() => new NoteHasher(new NoteHashingOptions { Dimension = 3 }));
}
