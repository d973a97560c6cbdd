using HealthAssist.Dicom;

namespace HealthAssist.Synthesis.Tests.Imaging;

/// <summary>Simple statistics read back from a written radiograph's pixel data, as a reader of the file would compute them.</summary>
internal static class RadiographMeasurements
{
    /// <summary>Stored values as display-ordered intensities (MONOCHROME1 inverted back), scaled to 0..1 of the stored range.</summary>
    public static float[] Intensities(DicomDataset dataset, out int rows, out int columns)
    {
        rows = dataset.GetInt(new DicomTag(0x0028, 0x0010)) ?? throw new InvalidOperationException("No Rows.");
        columns = dataset.GetInt(new DicomTag(0x0028, 0x0011)) ?? throw new InvalidOperationException("No Columns.");
        var bits = dataset.GetInt(new DicomTag(0x0028, 0x0101)) ?? 16;
        var monochrome1 = dataset.GetString(new DicomTag(0x0028, 0x0004))?.Trim() == "MONOCHROME1";
        var data = ((DicomValueElement)dataset[DicomTag.PixelData]).Data.Span;
        var max = (float)((1 << bits) - 1);
        var values = new float[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            var stored = data[2 * i] | (data[(2 * i) + 1] << 8);
            values[i] = (monochrome1 ? max - stored : stored) / max;
        }

        return values;
    }

    /// <summary>Mean intensity over a box given in fractions of the image width and height.</summary>
    public static double MeanOver(float[] image, int rows, int columns, double left, double top, double right, double bottom)
    {
        double sum = 0;
        var count = 0;
        for (var y = (int)(top * rows); y < (int)(bottom * rows); y++)
        {
            for (var x = (int)(left * columns); x < (int)(right * columns); x++)
            {
                sum += image[(y * columns) + x];
                count++;
            }
        }

        return sum / count;
    }

    /// <summary>
    /// The cardiothoracic ratio as a reader estimates it from horizontal intensity profiles of the lower chest. In each
    /// row band: the heart is the bright run around the midline, down to half-way between mediastinum and lung; each
    /// thorax edge is where the profile outside the dark lung field climbs half-way to the chest wall's peak. Bands where
    /// either side has no clearly dark lung (below a hemidiaphragm, fluid) are skipped, and the scan stops where a heart
    /// border jumps outwards (the run has reached a hemidiaphragm at the cardiophrenic angle). The ratio is the widest
    /// heart over the widest thorax.
    /// </summary>
    public static double CardiothoracicRatio(float[] image, int rows, int columns)
    {
        const int Band = 8;
        var mid = columns / 2;
        var bands = new List<(double[] Profile, int LeftLung, double LeftMin, int RightLung, double RightMin, double Centre)>();
        for (var top = (int)(0.40 * rows); top < (int)(0.80 * rows); top += Band)
        {
            var profile = new double[columns];
            for (var y = top; y < top + Band; y++)
            {
                for (var x = 0; x < columns; x++)
                {
                    profile[x] += image[(y * columns) + x] / Band;
                }
            }

            profile = Smooth(profile, Math.Max(2, columns / 128));
            var (leftLung, leftMin) = Minimum(profile, (int)(0.12 * columns), mid);
            var (rightLung, rightMin) = Minimum(profile, mid, (int)(0.88 * columns));
            var centre = profile.Skip(mid - (columns / 50)).Take(columns / 25).Average();
            bands.Add((profile, leftLung, leftMin, rightLung, rightMin, centre));
        }

        // The darkest lung level seen with both lungs present; a band needs both sides within 35% of the contrast of it.
        var lungReference = bands.Min(b => Math.Max(b.LeftMin, b.RightMin));
        double widestHeart = 0, widestThorax = 0;
        var (previousLeft, previousRight) = (mid, mid);
        var jump = (int)(0.04 * columns);
        foreach (var (profile, leftLung, leftMin, rightLung, rightMin, centre) in bands)
        {
            var limit = lungReference + (0.35 * (centre - lungReference));
            if (leftMin > limit || rightMin > limit)
            {
                continue;
            }

            var heartLeft = mid;
            while (heartLeft > leftLung && profile[heartLeft] > (centre + leftMin) / 2)
            {
                heartLeft--;
            }

            var heartRight = mid;
            while (heartRight < rightLung && profile[heartRight] > (centre + rightMin) / 2)
            {
                heartRight++;
            }

            if (widestHeart > 0 && (previousLeft - heartLeft > jump || heartRight - previousRight > jump))
            {
                break;
            }

            (previousLeft, previousRight) = (heartLeft, heartRight);
            var leftWall = profile.Take(leftLung).DefaultIfEmpty(leftMin).Max();
            var thoraxLeft = leftLung;
            while (thoraxLeft > 0 && profile[thoraxLeft] < (leftWall + leftMin) / 2)
            {
                thoraxLeft--;
            }

            var rightWall = profile.Skip(rightLung).DefaultIfEmpty(rightMin).Max();
            var thoraxRight = rightLung;
            while (thoraxRight < columns - 1 && profile[thoraxRight] < (rightWall + rightMin) / 2)
            {
                thoraxRight++;
            }

            widestHeart = Math.Max(widestHeart, heartRight - heartLeft);
            widestThorax = Math.Max(widestThorax, thoraxRight - thoraxLeft);
        }

        return widestThorax == 0 ? double.NaN : widestHeart / widestThorax;
    }


    private static (int Index, double Value) Minimum(double[] profile, int from, int to)
    {
        var index = from;
        for (var x = from; x < to; x++)
        {
            if (profile[x] < profile[index])
            {
                index = x;
            }
        }

        return (index, profile[index]);
    }

    private static double[] Smooth(double[] profile, int radius)
    {
        var smoothed = new double[profile.Length];
        for (var x = 0; x < profile.Length; x++)
        {
            var (from, to) = (Math.Max(0, x - radius), Math.Min(profile.Length - 1, x + radius));
            double sum = 0;
            for (var k = from; k <= to; k++)
            {
                sum += profile[k];
            }

            smoothed[x] = sum / (to - from + 1);
        }

        return smoothed;
    }
}
