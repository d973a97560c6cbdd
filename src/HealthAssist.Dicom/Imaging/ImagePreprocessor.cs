using System.Buffers.Binary;
using System.Globalization;

namespace HealthAssist.Dicom.Imaging;

/// <summary>What the model expects: output size and per-channel normalisation.</summary>
public sealed record PreprocessingOptions
{
    public int Width { get; init; } = 224;

    public int Height { get; init; } = 224;

    /// <summary>1 for grayscale models (colour is converted to luminance), 3 for RGB models (grayscale is repeated).</summary>
    public int Channels { get; init; } = 1;

    public float[] Mean { get; init; } = [0.5f];

    public float[] StandardDeviation { get; init; } = [0.25f];

    /// <summary>Percentiles used for the window when the image has neither window nor VOI LUT.</summary>
    public double LowerPercentile { get; init; } = 0.5;

    public double UpperPercentile { get; init; } = 99.5;

    /// <summary>Smallest image side considered usable; smaller images are flagged.</summary>
    public int MinimumSide { get; init; } = 64;
}

/// <summary>Problems a reviewer and the pipeline should know about (quality flags).</summary>
[Flags]
public enum ImageQualityIssues
{
    None = 0,
    UnsupportedPhotometricInterpretation = 1,
    TinyImage = 2,
    MissingPixelData = 4,
    BurnedInAnnotation = 8,
    PercentileWindowUsed = 16,
}

/// <summary>The model input (CHW float tensor), a PNG for reviewers, and what was noticed on the way.</summary>
public sealed record PreprocessedImage(float[] Tensor, int Channels, int Height, int Width, byte[] PreviewPng, ImageQualityIssues Issues, string WindowSource);

/// <summary>
/// Turns a frame into a model tensor in the order PS3.3/PS3.4 define for display: modality LUT (rescale), VOI (window
/// or VOI LUT, else a robust percentile window), MONOCHROME1 inversion, colour conversion to RGB, then area-averaging
/// resize and normalisation.
/// </summary>
public static class ImagePreprocessor
{
    public static PreprocessedImage Process(PixelData pixels, int frameIndex, PreprocessingOptions? options = null, DicomDataset? dataset = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        options ??= new PreprocessingOptions();
        var frame = pixels.GetFrame(frameIndex);
        var info = pixels.Info;
        var flags = ImageQualityIssues.None;
        if (Math.Min(info.Rows, info.Columns) < options.MinimumSide)
        {
            flags |= ImageQualityIssues.TinyImage;
        }

        if (dataset?.GetString(new DicomTag(0x0028, 0x0301))?.Trim().Equals("YES", StringComparison.OrdinalIgnoreCase) == true)
        {
            flags |= ImageQualityIssues.BurnedInAnnotation;
        }

        var photometric = info.PhotometricInterpretation.ToUpperInvariant();
        float[][] planes;
        string windowSource;
        if (photometric is "MONOCHROME1" or "MONOCHROME2")
        {
            var (display, source, percentile) = Monochrome(frame, info, dataset, options);
            if (percentile)
            {
                flags |= ImageQualityIssues.PercentileWindowUsed;
            }

            if (photometric == "MONOCHROME1")
            {
                for (var i = 0; i < display.Length; i++)
                {
                    display[i] = 1f - display[i];
                }
            }

            planes = [display];
            windowSource = source;
        }
        else if (photometric is "RGB" or "YBR_FULL" or "YBR_FULL_422" && info.SamplesPerPixel == 3 && info.BitsAllocated == 8)
        {
            planes = Colour(frame, info, photometric);
            windowSource = "none (colour)";
        }
        else
        {
            flags |= ImageQualityIssues.UnsupportedPhotometricInterpretation;
            planes = [new float[info.Rows * info.Columns]];
            windowSource = "none (unsupported)";
        }

        var resized = planes.Select(p => ResizeArea(p, info.Columns, info.Rows, options.Width, options.Height)).ToArray();
        var channels = ToChannels(resized, options.Channels);
        var tensor = Normalise(channels, options);
        var preview = PngEncoder.Encode(resized, options.Width, options.Height); // what the model sees, before normalisation
        return new PreprocessedImage(tensor, options.Channels, options.Height, options.Width, preview, flags, windowSource);
    }

    private static (float[] Display, string Source, bool Percentile) Monochrome(byte[] frame, PixelDataInfo info, DicomDataset? dataset, PreprocessingOptions options)
    {
        var count = info.Rows * info.Columns;
        var slope = dataset?.GetNumber(new DicomTag(0x0028, 0x1053)) ?? 1.0;
        var intercept = dataset?.GetNumber(new DicomTag(0x0028, 0x1052)) ?? 0.0;
        if (slope == 0 || !double.IsFinite(slope))
        {
            slope = 1;
        }

        // One table from every possible stored value to its display value (modality LUT, then VOI), so the pixels
        // are touched once: at most 65,536 entries, computed in well under a millisecond.
        var bits = info.BitsAllocated == 1 ? 1 : info.BitsStored;
        if (info.BitsAllocated is not (1 or 8 or 16))
        {
            throw new DicomFormatException($"{info.BitsAllocated}-bit grayscale is not supported for model input", 0, DicomTag.PixelData);
        }

        var minStored = info.IsSigned ? -(1 << (bits - 1)) : 0;
        var entries = 1 << bits;
        double Modality(int stored) => (stored * slope) + intercept;

        var table = new float[entries];
        string source;
        var percentile = false;
        if (VoiLut(dataset) is { } voiLut)
        {
            var (first, lutBits, lut) = voiLut;
            var top = (1 << lutBits) - 1;
            for (var i = 0; i < entries; i++)
            {
                var index = (int)Math.Clamp(Math.Round(Modality(i + minStored)) - first, 0, lut.Length - 1);
                table[i] = (float)(lut[index] / (double)top);
            }

            source = "VOI LUT";
        }
        else
        {
            double center, width;
            if (dataset?.GetNumber(new DicomTag(0x0028, 0x1050)) is { } c && dataset.GetNumber(new DicomTag(0x0028, 0x1051)) is { } w && w >= 1)
            {
                (center, width, source) = (c, w, "window");
            }
            else
            {
                var (low, high) = Percentiles(frame, info, bits, minStored, options.LowerPercentile, options.UpperPercentile);
                var (lowValue, highValue) = (Modality(low), Modality(high));
                (center, width) = ((lowValue + highValue) / 2, Math.Max(1, Math.Abs(highValue - lowValue)));
                source = string.Create(CultureInfo.InvariantCulture, $"percentile {options.LowerPercentile}-{options.UpperPercentile}");
                percentile = true;
            }

            // PS3.3 C.11.2.1.2.1, linear function, output scaled to 0..1.
            for (var i = 0; i < entries; i++)
            {
                var x = Modality(i + minStored);
                table[i] = x <= center - 0.5 - ((width - 1) / 2) ? 0f
                    : x > center - 0.5 + ((width - 1) / 2) ? 1f
                    : (float)(((x - (center - 0.5)) / (width - 1)) + 0.5);
            }
        }

        var output = new float[count];
        var mask = entries - 1;
        switch (info.BitsAllocated)
        {
            case 16:
                var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(frame.AsSpan(0, count * 2));
                for (var i = 0; i < count; i++)
                {
                    var raw = BitConverter.IsLittleEndian ? words[i] : BinaryPrimitives.ReverseEndianness(words[i]);
                    output[i] = table[(raw & mask) ^ (info.IsSigned ? entries >> 1 : 0)];
                }

                break;
            default:
                for (var i = 0; i < count; i++)
                {
                    output[i] = table[(frame[i] & mask) ^ (info.IsSigned ? entries >> 1 : 0)];
                }

                break;
        }

        return (output, source, percentile);
    }

    /// <summary>Stored values at two percentiles, from a histogram over every possible stored value.</summary>
    private static (int Low, int High) Percentiles(byte[] frame, PixelDataInfo info, int bits, int minStored, double lower, double upper)
    {
        var entries = 1 << bits;
        var mask = entries - 1;
        var flip = info.IsSigned ? entries >> 1 : 0;
        var histogram = new int[entries];
        var count = info.Rows * info.Columns;
        for (var i = 0; i < count; i++)
        {
            var raw = info.BitsAllocated == 16 ? BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(i * 2)) : frame[i];
            histogram[(raw & mask) ^ flip]++;
        }

        int Find(double percentile)
        {
            var target = percentile / 100 * count;
            long cumulative = 0;
            for (var i = 0; i < entries; i++)
            {
                cumulative += histogram[i];
                if (cumulative >= target)
                {
                    return i + minStored;
                }
            }

            return entries - 1 + minStored;
        }

        return (Find(lower), Find(upper));
    }

    /// <summary>The first VOI LUT of (0028,3010): first mapped value, bits per entry, table.</summary>
    private static (int First, int Bits, int[] Table)? VoiLut(DicomDataset? dataset)
    {
        if (dataset is null || !dataset.TryGet(new DicomTag(0x0028, 0x3010), out var element) || element is not DicomSequence { Items.Count: > 0 } sequence)
        {
            return null;
        }

        var item = sequence.Items[0];
        if (!item.TryGet(new DicomTag(0x0028, 0x3002), out var descriptorElement) || descriptorElement is not DicomValueElement descriptor
            || !item.TryGet(new DicomTag(0x0028, 0x3006), out var dataElement) || dataElement is not DicomValueElement data)
        {
            return null;
        }

        var d = descriptor.GetNumbers();
        if (d.Count < 3)
        {
            return null;
        }

        var entries = d[0] == 0 ? 65536 : (int)d[0];
        var first = descriptor.VR == DicomVR.SS ? (int)(short)d[1] : (int)d[1];
        var bits = Math.Clamp((int)d[2], 1, 16);
        var span = data.Data.Span;
        var table = new int[Math.Min(entries, span.Length / 2)];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(i * 2));
        }

        return table.Length == 0 ? null : (first, bits, table);
    }

    private static float[][] Colour(byte[] frame, PixelDataInfo info, string photometric)
    {
        var count = info.Rows * info.Columns;
        var planes = new[] { new float[count], new float[count], new float[count] };
        for (var i = 0; i < count; i++)
        {
            float a = frame[i * 3], b = frame[(i * 3) + 1], c = frame[(i * 3) + 2];
            if (photometric == "RGB")
            {
                (planes[0][i], planes[1][i], planes[2][i]) = (a / 255f, b / 255f, c / 255f);
                continue;
            }

            // YBR_FULL to RGB, PS3.3 C.7.6.3.1.2 (ITU-R BT.601 full range).
            var r = a + (1.402f * (c - 128));
            var g = a - (0.344136f * (b - 128)) - (0.714136f * (c - 128));
            var bl = a + (1.772f * (b - 128));
            (planes[0][i], planes[1][i], planes[2][i]) = (Math.Clamp(r, 0, 255) / 255f, Math.Clamp(g, 0, 255) / 255f, Math.Clamp(bl, 0, 255) / 255f);
        }

        return planes;
    }

    /// <summary>Area averaging: each output pixel is the mean of the input area it covers, fractional edges weighted (separable).</summary>
    public static float[] ResizeArea(float[] input, int width, int height, int outWidth, int outHeight)
    {
        ArgumentNullException.ThrowIfNull(input);
        var horizontal = new float[height * outWidth];
        var xWeights = AreaWeights(width, outWidth);
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            for (var x = 0; x < outWidth; x++)
            {
                var (start, weights) = xWeights[x];
                var sum = 0f;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += input[row + start + k] * weights[k];
                }

                horizontal[(y * outWidth) + x] = sum;
            }
        }

        var output = new float[outHeight * outWidth];
        var yWeights = AreaWeights(height, outHeight);
        for (var y = 0; y < outHeight; y++)
        {
            var (start, weights) = yWeights[y];
            var target = output.AsSpan(y * outWidth, outWidth);
            for (var k = 0; k < weights.Length; k++)
            {
                var source = horizontal.AsSpan((start + k) * outWidth, outWidth);
                var weight = weights[k];
                for (var x = 0; x < outWidth; x++)
                {
                    target[x] += source[x] * weight;
                }
            }
        }

        return output;
    }

    private static (int Start, float[] Weights)[] AreaWeights(int input, int output)
    {
        var scale = (double)input / output;
        var result = new (int, float[])[output];
        for (var o = 0; o < output; o++)
        {
            var from = o * scale;
            var to = (o + 1) * scale;
            var first = (int)Math.Floor(from);
            var last = Math.Min(input - 1, (int)Math.Ceiling(to) - 1);
            var weights = new float[last - first + 1];
            for (var i = first; i <= last; i++)
            {
                var covered = Math.Min(to, i + 1) - Math.Max(from, i);
                weights[i - first] = (float)(Math.Max(0, covered) / scale);
            }

            result[o] = (first, weights);
        }

        return result;
    }

    private static float[][] ToChannels(float[][] planes, int channels)
    {
        if (channels == planes.Length)
        {
            return planes;
        }

        if (channels == 1)
        {
            // Luminance (ITU-R BT.601) for grayscale models fed a colour image.
            var luminance = new float[planes[0].Length];
            for (var i = 0; i < luminance.Length; i++)
            {
                luminance[i] = (0.299f * planes[0][i]) + (0.587f * planes[1][i]) + (0.114f * planes[2][i]);
            }

            return [luminance];
        }

        return Enumerable.Repeat(planes[0], channels).ToArray();
    }

    private static float[] Normalise(float[][] channels, PreprocessingOptions options)
    {
        var size = channels[0].Length;
        var tensor = new float[channels.Length * size];
        for (var c = 0; c < channels.Length; c++)
        {
            var mean = options.Mean[Math.Min(c, options.Mean.Length - 1)];
            var std = options.StandardDeviation[Math.Min(c, options.StandardDeviation.Length - 1)];
            for (var i = 0; i < size; i++)
            {
                tensor[(c * size) + i] = (channels[c][i] - mean) / std;
            }
        }

        return tensor;
    }
}
