using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using HealthAssist.Synthesis.Audio;

namespace HealthAssist.Synthesis.Tests.Audio;

/// <summary>Test data builders for auscultation requests.</summary>
internal static class Recordings
{
    /// <summary>An identity with non-ASCII letters and an institution longer than bext's 32-byte Originator field.</summary>
    public static RecordingIdentity Identity { get; } = new(
        "Zoë Ångström-Núñez", "MRN-0048213", new DateTimeOffset(2024, 3, 5, 14, 23, 5, TimeSpan.FromHours(-5)),
        "Saint Bartholomew's Regional Medical Center", "Dr Priya Raman");

    public static RecordingStyle Style(int rate = 4_000, WavEncoding encoding = WavEncoding.Pcm16, int channels = 1, double seconds = 15, double noise = 0.2, bool clipped = false) =>
        new(rate, encoding, channels, seconds, noise, clipped);

    public static HeartSoundFindings Heart(double bpm = 72, double gallop = 0, double murmur = 0) => new(bpm, gallop, murmur);

    public static LungSoundFindings Lung(double rate = 16, double crackles = 0, double wheezes = 0, double reduced = 0) => new(rate, crackles, wheezes, reduced);
}

/// <summary>One RIFF chunk: its id, the offset of its header, and its declared size.</summary>
internal sealed record RiffChunk(string Id, int Offset, int Size)
{
    public int BodyOffset => Offset + 8;
}

/// <summary>An independent, strict walk over a RIFF/WAVE file's chunks (not the project's reader).</summary>
internal static class Riff
{
    public static IReadOnlyList<RiffChunk> Chunks(byte[] wav)
    {
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(wav, 8, 4));
        Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        var chunks = new List<RiffChunk>();
        var position = 12;
        while (position < wav.Length)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(position + 4));
            chunks.Add(new RiffChunk(Encoding.ASCII.GetString(wav, position, 4), position, size));
            if ((size & 1) == 1)
            {
                Assert.Equal(0, wav[position + 8 + size]); // the pad byte is present and zero
            }

            position += 8 + size + (size & 1);
        }

        Assert.Equal(wav.Length, position); // the chunks exactly fill the file
        return chunks;
    }

    public static RiffChunk Single(byte[] wav, string id) => Assert.Single(Chunks(wav), c => c.Id == id);

    /// <summary>The LIST/INFO entries: id → text (without the terminating NUL).</summary>
    public static Dictionary<string, string> Info(byte[] wav)
    {
        var list = Single(wav, "LIST");
        Assert.Equal("INFO", Encoding.ASCII.GetString(wav, list.BodyOffset, 4));
        var entries = new Dictionary<string, string>();
        var position = list.BodyOffset + 4;
        var end = list.BodyOffset + list.Size;
        while (position < end)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(position + 4));
            var text = Encoding.UTF8.GetString(wav, position + 8, size).TrimEnd('\0');
            entries.Add(Encoding.ASCII.GetString(wav, position, 4), text);
            position += 8 + size + (size & 1);
        }

        Assert.Equal(end, position);
        return entries;
    }

    /// <summary>A NUL-padded text field of the bext chunk (EBU Tech 3285 offsets).</summary>
    public static string BextField(byte[] wav, int offset, int length)
    {
        var bext = Single(wav, "bext");
        return Encoding.UTF8.GetString(wav, bext.BodyOffset + offset, length).TrimEnd('\0');
    }
}

/// <summary>Runs sox / soxi, which the test machine must have (scripts/test.sh installs the Debian package "sox").</summary>
internal static class Sox
{
    public static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed (apt-get install sox; ./scripts/test.sh installs it).", e);
        }

        using (process)
        {
            if (process is null)
            {
                throw new InvalidOperationException($"{tool} did not start.");
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} did not finish in 60 s.");
            }

            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}");
            return output.Result.Trim();
        }
    }
}
