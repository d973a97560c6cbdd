namespace HealthAssist.Synthesis.Imaging;

/// <summary>How attenuation maps to stored values (before any MONOCHROME1 inversion): stored = Offset + Span × a.</summary>
/// <param name="Offset">Stored value of attenuation 0 (the unattenuated beam).</param>
/// <param name="Span">Stored-value change per unit of attenuation.</param>
/// <param name="Grain">Amplitude of the triangular film grain, in attenuation units.</param>
internal sealed record Exposure(double Offset, double Span, double Grain)
{
    public static Exposure Sample(RadiographRandom random, int maxStored, bool lowContrast)
    {
        var low = random.Uniform(0.02, 0.08) * maxStored;
        var high = random.Uniform(0.80, 0.95) * maxStored;
        var span = (high - low) * random.Gaussian(1, 0.04);
        if (!lowContrast)
        {
            return new Exposure(low, span, 0.022);
        }

        // Degraded: the range squeezed around mid-grey, and more grain relative to it.
        var compressed = span * random.Uniform(0.28, 0.42);
        return new Exposure(low + ((span - compressed) * 0.45), compressed, 0.09);
    }

    public double Map(double attenuation) => Offset + (Span * attenuation);
}
