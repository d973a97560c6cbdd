namespace HealthAssist.Dicom.IO;

/// <summary>Limits that keep hostile input from exhausting memory or time; every violation is a <see cref="DicomFormatException"/>.</summary>
public sealed record DicomReaderOptions
{
    public static DicomReaderOptions Default { get; } = new();

    /// <summary>Largest file accepted (and largest inflated dataset for deflated syntaxes).</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;

    /// <summary>Largest single value.</summary>
    public long MaxElementLength { get; init; } = 1L << 30;

    /// <summary>Deepest sequence nesting.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most elements in the whole file, items included (each costs an object).</summary>
    public int MaxElements { get; init; } = 2_000_000;

    /// <summary>Stop at pixel data (metadata-only reads).</summary>
    public bool StopBeforePixelData { get; init; }
}
