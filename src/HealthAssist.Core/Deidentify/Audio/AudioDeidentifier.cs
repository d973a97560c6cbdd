using System.Buffers.Binary;
using System.Text;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.Deidentify.Audio;

/// <summary>What <see cref="AudioDeidentifier"/> did: the chunks it dropped (by id and size, never content).</summary>
public sealed record AudioDeidentificationReport(IReadOnlyList<string> DroppedChunks, long BytesRemoved);

/// <summary>
/// De-identifies a WAV recording by rewriting it with only what the audio needs: the <c>fmt </c> chunk, the
/// <c>fact</c> chunk of non-PCM formats, and the <c>data</c> chunk, byte for byte. Everything else — LIST/INFO,
/// bext, iXML, id3, cue, JUNK and unknown chunks, where recorders put patient names, dates and file paths — is dropped.
/// The input is first validated by the ingest <see cref="WavReader"/>, so malformed files are refused, not rewritten.
/// Voices in the sound itself are not detected (see the issue note): recordings are taken with the stethoscope on the
/// chest, and speech would need a reviewer.
/// </summary>
public static class AudioDeidentifier
{
    private static readonly HashSet<string> Kept = ["fmt ", "fact", "data"];

    public static (byte[] Wav, AudioDeidentificationReport Report) Deidentify(ReadOnlySpan<byte> wav)
    {
        _ = WavReader.Read(wav); // throws InvalidInputException with what and where for anything malformed

        var output = new MemoryStream(wav.Length);
        output.Write("RIFF"u8);
        output.Write(new byte[4]); // size, patched below
        output.Write("WAVE"u8);
        var dropped = new List<string>();
        long removed = 0;
        var position = 12;
        Span<byte> header = stackalloc byte[4];
        while (position + 8 <= wav.Length)
        {
            var id = Encoding.ASCII.GetString(wav.Slice(position, 4));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(position + 4));
            var available = wav.Length - position - 8;
            var length = size == uint.MaxValue || size > available ? available : (int)size; // streaming data runs to the end
            var padded = length + (length % 2);
            if (Kept.Contains(id))
            {
                output.Write(wav.Slice(position, 4));
                BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)length);
                output.Write(header);
                output.Write(wav.Slice(position + 8, length));
                if (length % 2 == 1)
                {
                    output.WriteByte(0);
                }
            }
            else
            {
                dropped.Add($"{Printable(id)} ({length} bytes)");
                removed += 8 + padded;
            }

            position += 8 + Math.Min(padded, available);
        }

        var bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return (bytes, new AudioDeidentificationReport(dropped, removed));
    }

    private static string Printable(string id) => new(id.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
