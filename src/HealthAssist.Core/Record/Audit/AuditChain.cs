using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HealthAssist.Record.Audit;

/// <summary>
/// The chain rule: <c>EntryHash = SHA-256(canonical(entry))</c>, where the canonical form covers every column,
/// the previous entry's hash included. Changing any byte of any column therefore changes the hash, and
/// removing, inserting or reordering rows breaks the link to the neighbour.
/// </summary>
/// <remarks>
/// Canonical form (version 1): the ASCII tag <c>HA-AUDIT-v1</c>; sequence as int64 big-endian; id as 16 bytes
/// big-endian; time as int64 big-endian UTC ticks; then each text field as int32 big-endian UTF-8 byte length
/// (-1 for null) followed by the bytes, in this order: event type, outcome, actor subject, actor type,
/// actor roles, purpose of use, patient pseudonym, payload; finally the previous hash as int32 big-endian byte
/// length (32) followed by its bytes.
/// The form is documented here so that an offline verifier in any language can recompute it.
/// </remarks>
public sealed class AuditChain
{
    public const int HashLength = 32;
    private static readonly byte[] Tag = "HA-AUDIT-v1"u8.ToArray();

    /// <summary>The "previous hash" of the first entry.</summary>
    public static ReadOnlyMemory<byte> GenesisHash { get; } = new byte[HashLength];

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    /// <summary>Computes the entry hash into <paramref name="destination"/>. Not thread-safe: one instance per thread.</summary>
    public void ComputeHash(AuditEntry entry, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _buffer.ResetWrittenCount();
        WriteCanonical(entry, _buffer);
        SHA256.HashData(_buffer.WrittenSpan, destination);
    }

    public byte[] ComputeHash(AuditEntry entry)
    {
        var hash = new byte[HashLength];
        ComputeHash(entry, hash);
        return hash;
    }

    public static void WriteCanonical(AuditEntry entry, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Tag);

        var fixedPart = writer.GetSpan(8 + 16 + 8);
        BinaryPrimitives.WriteInt64BigEndian(fixedPart, entry.Sequence);
        entry.Id.TryWriteBytes(fixedPart.Slice(8, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(fixedPart.Slice(24), entry.OccurredAt.UtcTicks);
        writer.Advance(32);

        WriteText(writer, entry.EventType);
        WriteText(writer, entry.Outcome);
        WriteText(writer, entry.ActorSubject);
        WriteText(writer, entry.ActorType);
        WriteText(writer, entry.ActorRoles);
        WriteText(writer, entry.PurposeOfUse);
        WriteText(writer, entry.PatientPseudonym);
        WriteText(writer, entry.Payload);

        // A wrong-length previous hash is hashed as stored, so tampering with its length is also caught.
        WriteBytes(writer, entry.PreviousHash);
    }

    /// <summary>Truncates to whole microseconds, the finest precision every supported database stores exactly.</summary>
    public static DateTimeOffset NormalizeTime(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    private static void WriteText(IBufferWriter<byte> writer, string? text)
    {
        if (text is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(writer.GetSpan(4), -1);
            writer.Advance(4);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(text);
        var span = writer.GetSpan(4 + length);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        Encoding.UTF8.GetBytes(text, span.Slice(4));
        writer.Advance(4 + length);
    }

    private static void WriteBytes(IBufferWriter<byte> writer, byte[]? bytes)
    {
        var length = bytes?.Length ?? -1;
        var span = writer.GetSpan(4 + Math.Max(0, length));
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        bytes?.CopyTo(span.Slice(4));
        writer.Advance(4 + Math.Max(0, length));
    }
}
