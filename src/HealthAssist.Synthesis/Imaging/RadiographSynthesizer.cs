using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HealthAssist.Dicom;

namespace HealthAssist.Synthesis.Imaging;

/// <summary>
/// Synthesises a PA chest radiograph as a CR or DX (For Presentation) instance: an anatomy-like phantom with the requested
/// findings planted (see <see cref="ChestPhantom"/>), mapped to stored values, optionally with burned-in text, and a
/// header that dciodvfy accepts. Deterministic: the same request and seed give byte-identical files.
/// </summary>
public static class RadiographSynthesizer
{
    public const string CRImageStorage = "1.2.840.10008.5.1.4.1.1.1";
    public const string DXImageStorageForPresentation = "1.2.840.10008.5.1.4.1.1.1.1";

    /// <summary>Private creator of the vendor-style private block at (0009,0010).</summary>
    public const string PrivateCreator = "HEALTHASSIST SYNTH";

    /// <summary>Where burned-in text is recorded in <see cref="PlantedPhi.Where"/>.</summary>
    public const string BurnedInWhere = "pixels (burned-in)";

    /// <summary>The phantom is drawn at about this many pixels on its longer side, then interpolated to full size.</summary>
    private const int WorkingSize = 512;

    public static SynthesizedRadiograph Create(RadiographRequest request, int seed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var style = request.Style;
        Validate(style);
        var random = new RadiographRandom(seed);
        var anatomyRandom = random.Fork(1);
        var renderRandom = random.Fork(2);
        var exposureRandom = random.Fork(3);
        var headerRandom = random.Fork(4);
        var grainSeed = random.Fork(5).NextUInt64();
        var textRandom = random.Fork(6);

        var monochrome1 = style.Monochrome1;
        var maxStored = (1 << style.BitsStored) - 1;
        var female = NormalizeSex(request.Identity.Sex) == "F";
        var phantom = new ChestPhantom(request.Findings, female, style.LowContrast, anatomyRandom);
        var factor = Math.Max(1, (int)Math.Round(Math.Max(style.Rows, style.Columns) / (double)WorkingSize));
        var workWidth = (style.Columns + factor - 1) / factor;
        var workHeight = (style.Rows + factor - 1) / factor;
        var attenuation = phantom.Render(workWidth, workHeight, renderRandom);

        var mapping = Exposure.Sample(exposureRandom, maxStored, style.LowContrast);
        var stored = ToStored(attenuation, workWidth, workHeight, style.Columns, style.Rows, mapping, maxStored, monochrome1, grainSeed);

        // Burned-in text is as bright as the display allows: the top stored value, or 0 under MONOCHROME1.
        IReadOnlyList<string> burnedIn = [];
        if (!string.IsNullOrWhiteSpace(style.BurnedInText))
        {
            burnedIn = BurnIn(stored, style, style.BurnedInText, (ushort)(monochrome1 ? 0 : maxStored), textRandom);
        }

        var pixelBytes = new byte[stored.Length * 2];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(stored.AsSpan()).CopyTo(pixelBytes);
        }
        else
        {
            for (var i = 0; i < stored.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(pixelBytes.AsSpan(i * 2), stored[i]);
            }
        }

        var builder = RadiographHeader.Build(request, mapping, maxStored, burnedIn.Count > 0, headerRandom);
        builder.Dataset.Set(new DicomValueElement(DicomTag.PixelData, DicomVR.OW, pixelBytes));
        if (burnedIn.Count > 0)
        {
            // The text as a whole, and each identity value it repeats, so a leak test knows what to look for in pixels.
            var text = string.Join(' ', burnedIn);
            builder.AddPhi(new PlantedPhi("burned-in text", text, BurnedInWhere));
            foreach (var (type, value) in IdentityValues(request.Identity).Where(v => v.Value.Length >= 3 && text.Contains(v.Value, StringComparison.OrdinalIgnoreCase)))
            {
                builder.AddPhi(new PlantedPhi(type, value, BurnedInWhere));
            }
        }

        // File meta repeats the SOP Instance UID (the writer rebuilds the same values from the dataset).
        var meta = new DicomDataset();
        meta.Set(DicomValueElement.FromText(new DicomTag(0x0002, 0x0002), DicomVR.UI, builder.Dataset.GetString(new DicomTag(0x0008, 0x0016))!));
        meta.Set(DicomValueElement.FromText(new DicomTag(0x0002, 0x0003), DicomVR.UI, request.Identity.SopInstanceUid));
        builder.AddPhi(new PlantedPhi("uid", request.Identity.SopInstanceUid, "(0002,0003) MediaStorageSOPInstanceUID"));
        var file = new DicomFile(meta, builder.Dataset, TransferSyntax.ExplicitVRLittleEndian, hadPreamble: true);
        return new SynthesizedRadiograph(file, builder.Phi.ToList());
    }

    private static IEnumerable<(string Type, string Value)> IdentityValues(RadiographIdentity identity) =>
        new[]
        {
            ("name", identity.PatientName.Trim()),
            ("name", identity.PatientName.Replace('^', ' ').Trim()),
            ("mrn", identity.PatientId.Trim()),
            ("accession", identity.AccessionNumber.Trim()),
            ("institution", identity.InstitutionName.Trim()),
            ("physician", identity.ReferringPhysician.Trim()),
            ("operator", identity.OperatorName.Trim()),
        }.DistinctBy(v => v.Item2, StringComparer.Ordinal);

    internal static string NormalizeSex(string sex) => sex.Trim().ToUpperInvariant() switch
    {
        "M" or "MALE" => "M",
        "F" or "FEMALE" => "F",
        "" => "",
        _ => "O",
    };

    private static void Validate(RadiographStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        if (style.Modality is not ("CR" or "DX"))
        {
            throw new ArgumentException($"Modality must be CR or DX, not '{style.Modality}'.", nameof(style));
        }

        if (style.Rows is < 64 or > 4096 || style.Columns is < 64 or > 4096)
        {
            throw new ArgumentException($"Rows and Columns must be 64–4096 (1024–2048 for a realistic radiograph), not {style.Rows}×{style.Columns}.", nameof(style));
        }

        if (style.BitsStored is < 8 or > 16)
        {
            throw new ArgumentException($"BitsStored must be 8–16 (12–16 is typical), not {style.BitsStored}.", nameof(style));
        }

        if (style.WindowTags is < 0 or > 3)
        {
            throw new ArgumentException($"WindowTags must be 0–3, not {style.WindowTags}.", nameof(style));
        }
    }

    /// <summary>
    /// Bilinear interpolation of the phantom to full size, plus film grain (triangular, from a per-image xorshift
    /// generator), then the linear exposure mapping to stored values; MONOCHROME1 stores the inverse (maximum − value),
    /// so that dense stays bright on display.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ushort[] ToStored(float[] work, int workWidth, int workHeight, int columns, int rows, Exposure mapping, int maxStored, bool monochrome1, ulong grainSeed)
    {
        var (columnIndex, columnWeight) = Interpolation(columns, workWidth);
        var (rowIndex, rowWeight) = Interpolation(rows, workHeight);
        var stored = new ushort[rows * columns];
        var offset = (float)mapping.Offset;
        var span = (float)mapping.Span;
        var grain = (float)mapping.Grain * span / 65535f;
        var grainOffset = offset - ((float)mapping.Grain * span) + 0.5f; // +0.5: round to nearest when truncating
        var max = (float)maxStored;
        var invert = monochrome1 ? maxStored : 0;
        var sign = monochrome1 ? -1 : 1;
        var state = (uint)(grainSeed ^ (grainSeed >> 32)) | 1u;
        for (var y = 0; y < rows; y++)
        {
            var top = rowIndex[y] * workWidth;
            var bottom = top + workWidth;
            var wy = rowWeight[y];
            var row = y * columns;
            for (var x = 0; x < columns; x++)
            {
                var i = columnIndex[x];
                var wx = columnWeight[x];
                var upper = work[top + i] + (wx * (work[top + i + 1] - work[top + i]));
                var lower = work[bottom + i] + (wx * (work[bottom + i + 1] - work[bottom + i]));
                var a = upper + (wy * (lower - upper));
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                var value = grainOffset + (span * a) + (grain * ((state & 0xFFFF) + (state >> 16)));
                stored[row + x] = (ushort)(invert + (sign * (int)(value < 0f ? 0f : value > max ? max : value)));
            }
        }

        return stored;
    }

    private static (int[] Index, float[] Weight) Interpolation(int length, int workLength)
    {
        var index = new int[length];
        var weight = new float[length];
        var ratio = workLength / (double)length;
        for (var p = 0; p < length; p++)
        {
            var s = Math.Clamp(((p + 0.5) * ratio) - 0.5, 0, workLength - 1);
            var i = Math.Min((int)s, workLength - 2);
            index[p] = i;
            weight[p] = (float)(s - i);
        }

        return (index, weight);
    }

    /// <summary>Draws the text into a top corner at full intensity; returns the lines as drawn.</summary>
    private static IReadOnlyList<string> BurnIn(ushort[] stored, RadiographStyle style, string text, ushort value, RadiographRandom random)
    {
        var scale = Math.Max(2, style.Rows / 340);
        var margin = Math.Max(8, style.Columns / 40);
        var maxCharacters = Math.Max(8, (int)(style.Columns * 0.45) / (BitmapFont.Advance * scale));
        var lines = BitmapFont.Wrap(text, maxCharacters);
        var widest = lines.Max(l => l.Length) * BitmapFont.Advance * scale;
        var left = random.Chance(0.5) ? margin : Math.Max(margin, style.Columns - margin - widest);
        BitmapFont.Draw(stored, style.Columns, style.Rows, lines, left, margin, scale, value);
        return lines;
    }
}
