using System.Security.Cryptography;

namespace HealthAssist.Record.Audit;

/// <summary>
/// Streaming Merkle tree hash over entry hashes, as defined by RFC 6962 section 2.1
/// (leaf = SHA-256(0x00 ‖ entry hash), node = SHA-256(0x01 ‖ left ‖ right)). Keeps only the roots of the
/// perfect subtrees (the "frontier", at most 64 hashes), so appending is O(log n) and memory is constant.
/// </summary>
public sealed class MerkleAccumulator
{
    private const int HashLength = AuditChain.HashLength;
    private readonly List<byte[]> _frontier = []; // perfect subtree roots, largest first
    private readonly byte[] _scratch = new byte[1 + (2 * HashLength)];

    public long Count { get; private set; }

    /// <summary>Rebuilds an accumulator from a stored frontier (as written by <see cref="ExportFrontier"/>).</summary>
    public static MerkleAccumulator FromFrontier(long count, ReadOnlySpan<byte> frontier)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var expected = System.Numerics.BitOperations.PopCount((ulong)count);
        if (frontier.Length != expected * HashLength)
        {
            throw new ArgumentException($"A frontier for {count} leaves has {expected} hashes, not {frontier.Length / (double)HashLength}.", nameof(frontier));
        }

        var accumulator = new MerkleAccumulator { Count = count };
        for (var i = 0; i < expected; i++)
        {
            accumulator._frontier.Add(frontier.Slice(i * HashLength, HashLength).ToArray());
        }

        return accumulator;
    }

    public void Append(ReadOnlySpan<byte> entryHash)
    {
        var node = new byte[HashLength];
        _scratch[0] = 0x00;
        entryHash.CopyTo(_scratch.AsSpan(1));
        SHA256.HashData(_scratch.AsSpan(0, 1 + HashLength), node);

        // Merge equal-sized subtrees: the number of merges is the number of trailing one bits of Count.
        for (var size = Count; (size & 1) == 1; size >>= 1)
        {
            var left = _frontier[^1];
            _frontier.RemoveAt(_frontier.Count - 1);
            node = HashNode(left, node);
        }

        _frontier.Add(node);
        Count++;
    }

    /// <summary>The tree hash of all leaves so far; the hash of the empty string for no leaves (RFC 6962).</summary>
    public byte[] Root()
    {
        if (_frontier.Count == 0)
        {
            return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }

        var root = _frontier[^1];
        for (var i = _frontier.Count - 2; i >= 0; i--)
        {
            root = HashNode(_frontier[i], root);
        }

        return root;
    }

    public byte[] ExportFrontier()
    {
        var bytes = new byte[_frontier.Count * HashLength];
        for (var i = 0; i < _frontier.Count; i++)
        {
            _frontier[i].CopyTo(bytes, i * HashLength);
        }

        return bytes;
    }

    private byte[] HashNode(byte[] left, byte[] right)
    {
        _scratch[0] = 0x01;
        left.CopyTo(_scratch, 1);
        right.CopyTo(_scratch, 1 + HashLength);
        return SHA256.HashData(_scratch);
    }
}
