using System.Buffers.Binary;

namespace HealthAssist.Record.Audit;

/// <summary>
/// A signed statement "the chain had <see cref="Sequence"/> entries, its head was <see cref="ChainHead"/> and the
/// Merkle root of all entry hashes was <see cref="MerkleRoot"/>". It pins the past: a truncated tail, or a
/// rewritten and re-hashed history, no longer matches the latest checkpoint.
/// </summary>
public sealed class AuditCheckpoint
{
    public const string EcdsaP256Sha256 = "ES256";

    public long Id { get; init; }

    /// <summary>Number of entries covered (the sequence number of the last one).</summary>
    public long Sequence { get; init; }

    public required byte[] ChainHead { get; init; }

    public required byte[] MerkleRoot { get; init; }

    /// <summary>The Merkle frontier at <see cref="Sequence"/>, so the next checkpoint needs to read only newer entries.</summary>
    public required byte[] MerkleFrontier { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Identifies the public key that verifies <see cref="Signature"/> (see <see cref="AuditSigningKey.KeyId"/>).</summary>
    public required string KeyId { get; init; }

    public required string Algorithm { get; init; }

    public required byte[] Signature { get; init; }

    /// <summary>The bytes that are signed: a tag, sequence, head, root and time. The frontier is derivable and unsigned.</summary>
    public static byte[] SignedBytes(long sequence, ReadOnlySpan<byte> chainHead, ReadOnlySpan<byte> merkleRoot, DateTimeOffset createdAt)
    {
        var tag = "HA-AUDIT-CHECKPOINT-v1"u8;
        var bytes = new byte[tag.Length + 8 + chainHead.Length + merkleRoot.Length + 8];
        var span = bytes.AsSpan();
        tag.CopyTo(span);
        span = span.Slice(tag.Length);
        BinaryPrimitives.WriteInt64BigEndian(span, sequence);
        chainHead.CopyTo(span.Slice(8));
        merkleRoot.CopyTo(span.Slice(8 + chainHead.Length));
        BinaryPrimitives.WriteInt64BigEndian(span.Slice(8 + chainHead.Length + merkleRoot.Length), createdAt.UtcTicks);
        return bytes;
    }

    public byte[] SignedBytes() => SignedBytes(Sequence, ChainHead, MerkleRoot, CreatedAt);
}
