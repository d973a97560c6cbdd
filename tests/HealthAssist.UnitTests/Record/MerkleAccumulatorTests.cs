using System.Security.Cryptography;
using HealthAssist.Record.Audit;

namespace HealthAssist.UnitTests.Record;

public sealed class MerkleAccumulatorTests
{
    // Straight from RFC 6962 section 2.1, recursively, as an independent oracle.
    private static byte[] ReferenceRoot(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            return SHA256.HashData([]);
        }

        if (leaves.Count == 1)
        {
            return SHA256.HashData([0x00, .. leaves[0]]);
        }

        var k = 1;
        while (k * 2 < leaves.Count)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. ReferenceRoot(leaves.Take(k).ToList()), .. ReferenceRoot(leaves.Skip(k).ToList())]);
    }

    [Fact]
    public void Root_ForEveryTreeSizeUpTo70_MatchesTheRfc6962Definition()
    {
        var leaves = Enumerable.Range(0, 70).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToList();
        var accumulator = new MerkleAccumulator();

        Assert.Equal(ReferenceRoot([]), accumulator.Root());
        for (var n = 1; n <= leaves.Count; n++)
        {
            accumulator.Append(leaves[n - 1]);
            Assert.Equal(ReferenceRoot(leaves.Take(n).ToList()), accumulator.Root());
        }
    }

    [Fact]
    public void FromFrontier_ContinuesExactlyWhereTheExportedAccumulatorStopped()
    {
        var leaves = Enumerable.Range(0, 45).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToList();
        var first = new MerkleAccumulator();
        leaves.Take(29).ToList().ForEach(l => first.Append(l));

        var resumed = MerkleAccumulator.FromFrontier(first.Count, first.ExportFrontier());
        leaves.Skip(29).ToList().ForEach(l => resumed.Append(l));

        Assert.Equal(ReferenceRoot(leaves), resumed.Root());
    }

    [Fact]
    public void FromFrontier_WithTheWrongNumberOfHashes_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => MerkleAccumulator.FromFrontier(3, new byte[32]));
    }
}
